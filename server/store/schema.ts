/**
 * Row types of every table, for Kysely. Both dialects store booleans as 0/1 integers, JSON as
 * text and timestamps as ISO-8601 UTC text, so repositories have one code path for SQLite and
 * PostgreSQL (ISO text sorts chronologically). Every row carries `tenant_id`: one deployment can
 * serve many PBXs.
 *
 * The table types live beside this file by capability (schema/*.ts); this file re-exports them
 * and names the tables. A new table: its type in the capability's file, its name here.
 */
import type { AdminSessionTable, AdminTokenTable, AuditLogTable, SettingsTable, TenantTable } from './schema/admin.js';
import type { ContactFolderTable, ContactTable, PhonebookTable, PhonebookVisibilityTable } from './schema/contacts.js';
import type { EntraGroupTable, EntraMembershipTable, SyncParkedUserTable, SyncPlanItemTable, SyncProblemTable, SyncRunTable } from './schema/directory-sync.js';
import type { ExtensionAvatarTable, ExtensionGroupMemberTable, ExtensionGroupTable, ExtensionTable } from './schema/directory.js';
import type { DeltaStateTable, GraphSubscriptionTable, IntegrationTable } from './schema/integration.js';
import type { JobScheduleTable, JobTable } from './schema/jobs.js';
import type {
  ExtensionStatusTable,
  PresenceGrantTable,
  PresenceLeaseTable,
  PresenceMappingTable,
  PresenceStateTable,
} from './schema/presence.js';
import type { SessionTable, SsoChallengeTable } from './schema/sso.js';
import type { WebhookDeliveryTable, WebhookEndpointTable } from './schema/webhooks.js';

export type * from './schema/admin.js';
export type * from './schema/columns.js';
export type * from './schema/contacts.js';
export type * from './schema/directory-sync.js';
export type * from './schema/directory.js';
export type * from './schema/integration.js';
export type * from './schema/jobs.js';
export type * from './schema/presence.js';
export type * from './schema/sso.js';
export type * from './schema/webhooks.js';

export interface Database {
  tenant: TenantTable;
  admin_token: AdminTokenTable;
  admin_session: AdminSessionTable;
  integration: IntegrationTable;
  settings: SettingsTable;
  extension: ExtensionTable;
  extension_avatar: ExtensionAvatarTable;
  extension_group: ExtensionGroupTable;
  extension_group_member: ExtensionGroupMemberTable;
  phonebook: PhonebookTable;
  phonebook_visibility: PhonebookVisibilityTable;
  contact: ContactTable;
  presence_mapping: PresenceMappingTable;
  extension_status: ExtensionStatusTable;
  presence_state: PresenceStateTable;
  presence_grant: PresenceGrantTable;
  presence_lease: PresenceLeaseTable;
  sync_run: SyncRunTable;
  sync_problem: SyncProblemTable;
  delta_state: DeltaStateTable;
  graph_subscription: GraphSubscriptionTable;
  session: SessionTable;
  sso_challenge: SsoChallengeTable;
  audit_log: AuditLogTable;
  webhook_endpoint: WebhookEndpointTable;
  webhook_delivery: WebhookDeliveryTable;
  sync_plan_item: SyncPlanItemTable;
  sync_parked_user: SyncParkedUserTable;
  entra_group: EntraGroupTable;
  entra_membership: EntraMembershipTable;
  job: JobTable;
  job_schedule: JobScheduleTable;
  contact_folder: ContactFolderTable;
}
