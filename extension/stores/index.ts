import type { ReadonlySignal } from '@preact/signals';
import type { Translator } from '../i18n/index.js';
import { createContactsStore, type ContactsStore } from './contacts.js';
import { createI18nStore } from './i18n.js';
import { createMappingStore, type MappingStore } from './mapping.js';
import { createSessionStore, type SessionStore } from './session.js';
import { createSettingsStore, type SettingsStore } from './settings.js';
import { createStatusStore, type StatusStore } from './status.js';

/** Every store of a page, created once at start-up and handed down through StoresContext. */
export interface Stores {
  settings: SettingsStore;
  i18n: ReadonlySignal<Translator>;
  session: SessionStore;
  status: StatusStore;
  mapping: MappingStore;
  contacts: ContactsStore;
}

export async function createStores(): Promise<Stores> {
  const settings = await createSettingsStore();
  const session = createSessionStore(settings);
  return {
    settings,
    i18n: createI18nStore(settings),
    session,
    status: createStatusStore(session),
    mapping: createMappingStore(session),
    contacts: createContactsStore(session),
  };
}
