import { signal } from '@preact/signals';
import type { ContactSyncSettings } from '../../contacts/index.js';
import type { RunView } from '../../directory/index.js';
import type { Api, Phonebook, Visibility } from '../api/endpoints.js';
import { clearForm, createFormState, errorMessage, submitForm, type Message } from '../forms/form.js';
import { createPagedListStore } from './paged-list.js';
import { createSettingsStore } from './settings.js';
import { isActive, POLL_MS } from './sync-runs.js';

const noPage = { items: [], nextCursor: null };

/**
 * Contact sync: its settings, "Sync contacts now" with the run's live status, the phonebooks,
 * the contacts of the open phonebook, and who sees it (company phonebooks only).
 */
export function createContactsStore(api: Api) {
  const settings = createSettingsStore<ContactSyncSettings>({ get: api.contacts.settings.get, put: (v) => api.contacts.settings.put(v) });
  const phonebooks = createPagedListStore(api.contacts.phonebooks);
  const run = signal<RunView | null>(null);
  const runProblem = signal<Message | null>(null);
  const open = signal<Phonebook | null>(null);
  const contactQuery = signal('');
  const contacts = createPagedListStore((cursor) => {
    const book = open.value;
    return book ? api.contacts.contacts(book.id, contactQuery.value, cursor) : Promise.resolve(noPage);
  });
  const visibility = signal<Visibility | null>(null);
  const visibilityForm = createFormState();
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** Follows the run until it ends, then re-reads the phonebooks it changed. */
  const follow = async (id: string): Promise<void> => {
    clearTimeout(timer);
    try {
      run.value = await api.syncRuns.get(id);
      if (isActive(run.value)) timer = setTimeout(() => void follow(id), POLL_MS);
      else await phonebooks.load();
    } catch (error) {
      runProblem.value = errorMessage(error);
    }
  };

  return {
    settings,
    phonebooks,
    run,
    runProblem,
    open,
    contactQuery,
    contacts,
    visibility,
    visibilityForm,
    async syncNow(): Promise<void> {
      runProblem.value = null;
      try {
        const { id } = await api.contacts.syncNow();
        await follow(id);
      } catch (error) {
        runProblem.value = errorMessage(error);
      }
    },
    /** Shows a phonebook's contacts and, for a company phonebook, who sees it. */
    async openPhonebook(book: Phonebook): Promise<void> {
      open.value = book;
      contactQuery.value = '';
      visibility.value = null;
      clearForm(visibilityForm);
      await contacts.load();
      if (book.kind !== 'company') return;
      try {
        const { extensionIds, groupIds } = await api.contacts.visibility(book.id);
        visibility.value = { extensionIds, groupIds };
      } catch (error) {
        visibilityForm.notice.value = { kind: 'error', message: errorMessage(error) };
      }
    },
    editVisibility(patch: Partial<Visibility>): void {
      if (visibility.value) visibility.value = { ...visibility.value, ...patch };
    },
    saveVisibility(): Promise<boolean> {
      const book = open.value;
      const value = visibility.value;
      if (!book || !value) return Promise.resolve(false);
      return submitForm(
        visibilityForm,
        () => ({}),
        async () => {
          const { extensionIds, groupIds } = await api.contacts.putVisibility(book.id, value);
          visibility.value = { extensionIds, groupIds };
          return { key: 'common.saved' };
        },
      );
    },
    stop(): void {
      clearTimeout(timer);
    },
  };
}

export type ContactsStore = ReturnType<typeof createContactsStore>;
