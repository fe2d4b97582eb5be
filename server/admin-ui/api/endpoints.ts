import type { z } from 'zod';
import type {
  ExtensionGroupView,
  ExtensionView,
  GroupSyncSettings,
  pickerItem,
  RunView,
  UserSyncSettings,
} from '../../directory/index.js';
import type { ContactSyncSettings, ContactView, PhonebookView, SharedMailboxView, VisibilityView } from '../../contacts/index.js';
import type { IntegrationView, RedirectUri } from '../../integration/index.js';
import type { ScheduleSettings } from '../../jobs/index.js';
import type { PresenceHealthItem, PresenceMapping, PresenceMappingInput, PresenceSyncSettings } from '../../presence/index.js';
import type { SsoSettings } from '../../sso/index.js';
import type { DeliveryView, EndpointView } from '../../webhooks/index.js';
import type { Page } from '../stores/paged-list.js';
import type { Transport } from './client.js';

export interface AdminSessionView {
  label: string;
  via: 'session' | 'token';
}

export interface ConnectBody {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  authorityHost: string;
  graphEndpoint: string;
}

export interface LifecycleChoice {
  deleteExtensions: boolean;
  deleteGroups: boolean;
}

export type EntraGroup = z.infer<typeof pickerItem>;
export type IntegrationPage = IntegrationView & { redirectUris: RedirectUri[] };
/** What happens to synced objects when a sync is switched off. */
export type OnDisable = 'keep' | 'delete';
export interface ScheduleStatus {
  nextScheduledSync: string | null;
  changeTracking: 'notifications' | 'polling' | 'off';
}
export interface ExtensionFilter {
  q: string;
  source: '' | 'entra' | 'local';
}
export type Extension = ExtensionView;
/** What an admin edits on an extension (POST and PATCH /extensions). */
export type ExtensionInput = Pick<
  ExtensionView,
  'number' | 'firstName' | 'lastName' | 'displayName' | 'email' | 'mobile' | 'businessPhone' | 'jobTitle' | 'department' | 'office' | 'callerId' | 'enabled'
>;
export type Phonebook = PhonebookView;
export type Contact = ContactView;
export type SharedMailbox = SharedMailboxView;
export type Visibility = Pick<VisibilityView, 'extensionIds' | 'groupIds'>;
export type WebhookEndpoint = EndpointView;
export type WebhookDelivery = DeliveryView;
export interface WebhookInput {
  url: string;
  events: string[];
  enabled: boolean;
}
export type ExtensionGroup = ExtensionGroupView;

const cursorQuery = (cursor: string | null, extra: Record<string, string> = {}) => {
  const params = new URLSearchParams(extra);
  if (cursor) params.set('cursor', cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
};

const searchQuery = (q: string): Record<string, string> => (q.trim() ? { q: q.trim(), limit: '50' } : { limit: '50' });

/** The typed API of the page; one group per resource, shapes taken from the server's schemas. */
export function createApi(t: Transport) {
  return {
    session: {
      get: () => t.request<AdminSessionView>('GET', '/admin/session'),
      open: (token: string) => t.request<AdminSessionView>('POST', '/admin/session', { token }),
      close: () => t.request<undefined>('DELETE', '/admin/session'),
    },
    integration: {
      get: () => t.request<IntegrationPage>('GET', '/integration'),
      put: (body: ConnectBody) => t.request<IntegrationPage>('PUT', '/integration', body),
      test: () => t.request<IntegrationPage>('POST', '/integration/test'),
      secret: (clientSecret: string) => t.request<IntegrationPage>('POST', '/integration/secret', { clientSecret }),
      disable: (choice: LifecycleChoice) => t.request<IntegrationPage>('POST', '/integration/disable', choice),
      enable: () => t.request<IntegrationPage>('POST', '/integration/enable'),
      disconnect: (choice: LifecycleChoice) => t.request<IntegrationPage>('POST', '/integration/disconnect', choice),
      consentUrl: () => t.request<{ url: string }>('GET', '/integration/consent'),
    },
    settings: {
      userSync: {
        get: () => t.request<UserSyncSettings>('GET', '/settings/user-sync'),
        put: (value: UserSyncSettings, onDisable: OnDisable) =>
          t.request<UserSyncSettings>('PUT', `/settings/user-sync?onDisable=${onDisable}`, value),
      },
      groupSync: {
        get: () => t.request<GroupSyncSettings>('GET', '/settings/group-sync'),
        put: (value: GroupSyncSettings, onDisable: OnDisable) =>
          t.request<GroupSyncSettings>('PUT', `/settings/group-sync?onDisable=${onDisable}`, value),
      },
    },
    presence: {
      settings: {
        get: () => t.request<PresenceSyncSettings>('GET', '/settings/presence-sync'),
        put: (value: PresenceSyncSettings) => t.request<PresenceSyncSettings>('PUT', '/settings/presence-sync', value),
      },
      health: (cursor: string | null) => t.request<Page<PresenceHealthItem>>('GET', `/presence/health${cursorQuery(cursor, { limit: '50' })}`),
      mapping: (id: string) => t.request<PresenceMapping>('GET', `/extensions/${encodeURIComponent(id)}/presence-mapping`),
      putMapping: (id: string, mapping: PresenceMappingInput) =>
        t.request<PresenceMapping>('PUT', `/extensions/${encodeURIComponent(id)}/presence-mapping`, mapping),
      putMappingForAll: (mapping: PresenceMappingInput) =>
        t.request<{ updated: number }>('PUT', '/presence-mappings', { extensionIds: 'all', mapping }),
    },
    sso: {
      get: () => t.request<SsoSettings>('GET', '/settings/sso'),
      put: (value: SsoSettings) => t.request<SsoSettings>('PUT', '/settings/sso', value),
    },
    schedule: {
      get: () => t.request<ScheduleSettings>('GET', '/settings/schedule'),
      put: (value: ScheduleSettings) => t.request<ScheduleSettings>('PUT', '/settings/schedule', value),
      status: () => t.request<ScheduleStatus>('GET', '/settings/schedule/status'),
    },
    entra: {
      groups: (search: string, cursor: string | null) =>
        t.request<Page<EntraGroup>>('GET', `/directory/groups${cursorQuery(cursor, search ? { search } : {})}`),
    },
    syncRuns: {
      list: (cursor: string | null) => t.request<Page<RunView>>('GET', `/sync-runs${cursorQuery(cursor, { limit: '20' })}`),
      get: (id: string) => t.request<RunView>('GET', `/sync-runs/${encodeURIComponent(id)}`),
      start: (full: boolean) => t.request<{ id: string }>('POST', '/sync-runs', full ? { full } : {}),
      confirm: (id: string) => t.request<RunView>('POST', `/sync-runs/${encodeURIComponent(id)}/confirm`),
      cancel: (id: string) => t.request<RunView>('POST', `/sync-runs/${encodeURIComponent(id)}/cancel`),
    },
    extensions: {
      list: (filter: ExtensionFilter, cursor: string | null) => {
        const query: Record<string, string> = {};
        if (filter.q.trim()) query.q = filter.q.trim();
        if (filter.source) query.source = filter.source;
        return t.request<Page<Extension>>('GET', `/extensions${cursorQuery(cursor, query)}`);
      },
      create: (body: ExtensionInput) => t.request<Extension>('POST', '/extensions', body),
      update: (id: string, patch: Partial<ExtensionInput>) => t.request<Extension>('PATCH', `/extensions/${encodeURIComponent(id)}`, patch),
      remove: (id: string) => t.request<undefined>('DELETE', `/extensions/${encodeURIComponent(id)}`),
    },
    contacts: {
      settings: {
        get: () => t.request<ContactSyncSettings>('GET', '/settings/contact-sync'),
        put: (value: ContactSyncSettings) => t.request<ContactSyncSettings>('PUT', '/settings/contact-sync', value),
      },
      syncNow: () => t.request<{ id: string }>('POST', '/contact-sync-runs', {}),
      sharedMailboxes: (q: string, cursor: string | null) =>
        t.request<Page<SharedMailbox>>('GET', `/shared-mailboxes${cursorQuery(cursor, searchQuery(q))}`),
      phonebooks: (cursor: string | null) => t.request<Page<Phonebook>>('GET', `/phonebooks${cursorQuery(cursor, { limit: '50' })}`),
      contacts: (id: string, q: string, cursor: string | null) =>
        t.request<Page<Contact>>('GET', `/phonebooks/${encodeURIComponent(id)}/contacts${cursorQuery(cursor, searchQuery(q))}`),
      visibility: (id: string) => t.request<Visibility>('GET', `/phonebooks/${encodeURIComponent(id)}/visibility`),
      putVisibility: (id: string, body: Visibility) => t.request<Visibility>('PUT', `/phonebooks/${encodeURIComponent(id)}/visibility`, body),
    },
    webhooks: {
      list: (cursor: string | null) => t.request<Page<WebhookEndpoint>>('GET', `/webhook-endpoints${cursorQuery(cursor, { limit: '50' })}`),
      create: (body: WebhookInput) => t.request<WebhookEndpoint & { secret: string }>('POST', '/webhook-endpoints', body),
      update: (id: string, body: Partial<WebhookInput>) => t.request<WebhookEndpoint>('PATCH', `/webhook-endpoints/${encodeURIComponent(id)}`, body),
      remove: (id: string) => t.request<undefined>('DELETE', `/webhook-endpoints/${encodeURIComponent(id)}`),
      rotateSecret: (id: string) => t.request<{ secret: string }>('POST', `/webhook-endpoints/${encodeURIComponent(id)}/secret`),
      test: (id: string) => t.request<{ deliveryId: string }>('POST', `/webhook-endpoints/${encodeURIComponent(id)}/test`),
      deliveries: (id: string, cursor: string | null) =>
        t.request<Page<WebhookDelivery>>('GET', `/webhook-endpoints/${encodeURIComponent(id)}/deliveries${cursorQuery(cursor, { limit: '20' })}`),
    },
    extensionGroups: {
      list: (cursor: string | null) => t.request<Page<ExtensionGroup>>('GET', `/extension-groups${cursorQuery(cursor)}`),
    },
  };
}

export type Api = ReturnType<typeof createApi>;
