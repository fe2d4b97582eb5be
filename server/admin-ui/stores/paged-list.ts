import { signal } from '@preact/signals';
import { errorMessage, type Message } from '../forms/form.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A list read page by page from a `{items,nextCursor}` route ("More" appends the next page). */
export function createPagedListStore<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>) {
  const items = signal<T[]>([]);
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const problem = signal<Message | null>(null);
  /** Counts loads: only the latest one's answer is shown (an older search may answer last). */
  let latest = 0;
  return {
    items,
    nextCursor,
    loading,
    problem,
    async load(more = false): Promise<void> {
      const mine = ++latest;
      loading.value = true;
      try {
        const page = await fetchPage(more ? nextCursor.value : null);
        if (mine !== latest) return;
        items.value = more ? [...items.value, ...page.items] : page.items;
        nextCursor.value = page.nextCursor;
        problem.value = null;
      } catch (error) {
        if (mine === latest) problem.value = errorMessage(error);
      } finally {
        if (mine === latest) loading.value = false;
      }
    },
  };
}

export type PagedListStore<T> = ReturnType<typeof createPagedListStore<T>>;
