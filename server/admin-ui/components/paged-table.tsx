import type { ComponentChildren } from 'preact';
import { useStores } from '../stores/context.js';
import type { PagedListStore } from '../stores/paged-list.js';
import { Notice } from './notice.js';

interface PagedTableProps<T> {
  list: PagedListStore<T>;
  caption: string;
  headers: string[];
  row: (item: T) => ComponentChildren;
  empty: string;
}

/** A table of a paged list, scrolling sideways on narrow screens, with a "More" button. */
export function PagedTable<T>({ list, caption, headers, row, empty }: PagedTableProps<T>) {
  const { i18n } = useStores();
  return (
    <div class="table-wrap">
      {list.problem.value && <Notice kind="error" message={list.problem.value} />}
      <table class="table" aria-busy={list.loading.value}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {headers.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {list.items.value.map(row)}
          {!list.loading.value && list.items.value.length === 0 && (
            <tr>
              <td colSpan={headers.length} class="muted">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {list.nextCursor.value && (
        <button type="button" class="secondary" disabled={list.loading.value} onClick={() => void list.load(true)}>
          {i18n.t('common.more')}
        </button>
      )}
    </div>
  );
}
