import { signal } from '@preact/signals';
import type { ScheduleSettings } from '../../jobs/index.js';
import type { PresenceSyncSettings } from '../../presence/index.js';
import { createTransport } from '../api/client.js';
import { createApi, type ExtensionFilter } from '../api/endpoints.js';
import { createI18nStore } from '../i18n/index.js';
import { createContactsStore } from './contacts.js';
import { createExtensionEditorStore } from './extension-editor.js';
import { createIntegrationStore } from './integration.js';
import { createPagedListStore } from './paged-list.js';
import { createRouterStore } from './router.js';
import { SECTION_IDS } from './sections.js';
import { createSessionStore, type SessionStore } from './session.js';
import { createSettingsStore } from './settings.js';
import { createSsoStore } from './sso.js';
import { createSyncRunsStore } from './sync-runs.js';
import { createWebhooksStore } from './webhooks.js';

const LANGUAGE_SETTING = 'ucbridge.admin.language';

export interface StoreEnvironment {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  languages: readonly string[];
}

/** Creates every store of the page once; components reach them through StoresContext. */
export function createStores(env: StoreEnvironment) {
  const i18n = createI18nStore({
    saved: env.storage.getItem(LANGUAGE_SETTING),
    browser: env.languages,
    save: (lang) => env.storage.setItem(LANGUAGE_SETTING, lang),
  });
  const sessionRef: { current?: SessionStore } = {};
  const api = createApi(createTransport(() => sessionRef.current?.ended()));
  const session = createSessionStore(api);
  sessionRef.current = session;
  const extensionFilter = signal<ExtensionFilter>({ q: '', source: '' });
  const extensions = createPagedListStore((cursor) => api.extensions.list(extensionFilter.value, cursor));
  return {
    i18n,
    api,
    session,
    router: createRouterStore(SECTION_IDS, 'connection'),
    integration: createIntegrationStore(api),
    userSync: createSettingsStore(api.settings.userSync),
    groupSync: createSettingsStore(api.settings.groupSync),
    presenceSettings: createSettingsStore<PresenceSyncSettings>({ get: api.presence.settings.get, put: (v) => api.presence.settings.put(v) }),
    presenceHealth: createPagedListStore(api.presence.health),
    sso: createSsoStore(api),
    schedule: createSettingsStore<ScheduleSettings>({ get: api.schedule.get, put: (v) => api.schedule.put(v) }),
    /** Names of Entra groups seen in the picker, to label selected ids. */
    groupNames: signal<Record<string, string>>({}),
    /** Names of shared mailboxes, extensions and extension groups seen in pickers. */
    mailboxNames: signal<Record<string, string>>({}),
    extensionNames: signal<Record<string, string>>({}),
    extensionGroupNames: signal<Record<string, string>>({}),
    contacts: createContactsStore(api),
    webhooks: createWebhooksStore(api),
    syncRuns: createSyncRunsStore(api),
    extensionFilter,
    extensions,
    extensionEditor: createExtensionEditorStore(api, extensions),
    groups: createPagedListStore(api.extensionGroups.list),
  };
}

export type Stores = ReturnType<typeof createStores>;
