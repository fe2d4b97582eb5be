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
  return {
    items,
    nextCursor,
    loading,
    problem,
    async load(more = false): Promise<void> {
      loading.value = true;
      try {
        const page = await fetchPage(more ? nextCursor.value : null);
        items.value = more ? [...items.value, ...page.items] : page.items;
        nextCursor.value = page.nextCursor;
        problem.value = null;
      } catch (error) {
        problem.value = errorMessage(error);
      } finally {
        loading.value = false;
      }
    },
  };
}

export type PagedListStore<T> = ReturnType<typeof createPagedListStore<T>>;
