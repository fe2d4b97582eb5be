import { signal, type ReadonlySignal } from '@preact/signals';
import type { Contact } from '../../sdk/index.js';
import { problemOf, type Problem } from './errors.js';
import type { SessionStore } from './session.js';

export interface ContactsStore {
  query: ReadonlySignal<string>;
  results: ReadonlySignal<Contact[] | undefined>;
  problem: ReadonlySignal<Problem | undefined>;
  /** Searches after a short pause in typing; a newer query cancels the older request. */
  search(query: string): void;
}

const DEBOUNCE_MS = 250;

export function createContactsStore(session: SessionStore): ContactsStore {
  const query = signal('');
  const results = signal<Contact[] | undefined>(undefined);
  const problem = signal<Problem | undefined>(undefined);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: AbortController | undefined;

  async function run(q: string): Promise<void> {
    const client = session.client.value;
    inflight?.abort();
    if (!client || q.trim() === '') {
      results.value = undefined;
      return;
    }
    const abort = (inflight = new AbortController());
    try {
      const found = await client.contacts.search(q.trim(), { limit: 20, signal: abort.signal });
      if (!abort.signal.aborted) {
        results.value = found.items;
        problem.value = undefined;
      }
    } catch (error) {
      if (!abort.signal.aborted) problem.value = problemOf(error);
    }
  }

  return {
    query,
    results,
    problem,
    search(q) {
      query.value = q;
      clearTimeout(timer);
      timer = setTimeout(() => void run(q), DEBOUNCE_MS);
    },
  };
}
