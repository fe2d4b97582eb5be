import type { Signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { errorMessage, type Message } from '../forms/form.js';
import type { MessageKey } from '../i18n/index.js';
import { useStores } from '../stores/context.js';
import type { Page } from '../stores/paged-list.js';
import { Field } from './fields.js';
import { Notice } from './notice.js';

/** One choice of a picker: its id (what is saved), its name and a detail line. */
export interface PickerItem {
  id: string;
  name: string;
  detail?: string | null;
}

export interface SearchPickerProps {
  id: string;
  label: string;
  selected: string[];
  onChange: (ids: string[]) => void;
  error?: Message | undefined;
}

interface PickerSource {
  search: (q: string, cursor: string | null) => Promise<Page<PickerItem>>;
  /** Names of the items seen so far, to label selected ids. */
  names: Signal<Record<string, string>>;
  texts: { placeholder: MessageKey; selectedList: MessageKey; none: MessageKey };
}

const SEARCH_DELAY_MS = 300;

/** Searchable, paged multi-picker: selected items as removable chips, results as checkboxes. */
export function SearchPicker({ id, label, selected, onChange, error, search, names, texts }: SearchPickerProps & PickerSource) {
  const { i18n } = useStores();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<PickerItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<Message | null>(null);
  const [busy, setBusy] = useState(false);

  const fetchPage = async (q: string, after: string | null) => {
    setBusy(true);
    try {
      const page = await search(q, after);
      names.value = { ...names.value, ...Object.fromEntries(page.items.map((item) => [item.id, item.name])) };
      setResults((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setProblem(null);
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const timer = setTimeout(() => void fetchPage(query, null), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const toggle = (itemId: string, on: boolean) => onChange(on ? [...selected, itemId] : selected.filter((s) => s !== itemId));
  const nameOf = (itemId: string) => names.value[itemId] ?? itemId;

  return (
    <Field id={`${id}-search`} label={label} error={error} hint={i18n.t('groupPicker.selected', { count: selected.length })}>
      <input
        id={`${id}-search`}
        type="search"
        value={query}
        placeholder={i18n.t(texts.placeholder)}
        onInput={(e) => setQuery(e.currentTarget.value)}
        aria-controls={`${id}-results`}
      />
      {selected.length > 0 && (
        <ul class="chips" aria-label={i18n.t(texts.selectedList)}>
          {selected.map((itemId) => (
            <li key={itemId}>
              <span>{nameOf(itemId)}</span>
              <button type="button" class="secondary" aria-label={i18n.t('groupPicker.remove', { name: nameOf(itemId) })} onClick={() => toggle(itemId, false)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {problem && <Notice kind="error" message={problem} />}
      <ul id={`${id}-results`} class="picker-results" aria-busy={busy}>
        {results.map((item) => (
          <li key={item.id} class="check">
            <input id={`${id}-${item.id}`} type="checkbox" checked={selected.includes(item.id)} onChange={(e) => toggle(item.id, e.currentTarget.checked)} />
            <label for={`${id}-${item.id}`}>
              {item.name} <span class="muted">{item.detail ?? ''}</span>
            </label>
          </li>
        ))}
        {!busy && results.length === 0 && <li class="muted">{i18n.t(texts.none)}</li>}
      </ul>
      {cursor && (
        <button type="button" class="secondary" disabled={busy} onClick={() => void fetchPage(query, cursor)}>
          {i18n.t('common.more')}
        </button>
      )}
    </Field>
  );
}
