/**
 * Row types of every table, for Kysely. Both dialects store booleans as 0/1 integers, JSON as
 * text and timestamps as ISO-8601 UTC text, so repositories have one code path for SQLite and
 * PostgreSQL (ISO text sorts chronologically). Every row carries `tenant_id`: one deployment can
 * serve many PBXs.
 */
import type { Generated } from 'kysely';

export type Flag = 0 | 1;

export interface TenantTable {
  id: string;
  name: string;
  created_at: string;
}

export interface AdminTokenTable {
  id: string;
  tenant_id: string;
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
}

export interface IntegrationTable {
  tenant_id: string;
  entra_tenant_id: string;
  client_id: string;
  client_secret: string;
  /** A new secret being verified; the old one keeps working until it is. */
  pending_client_secret: string | null;
  secret_hint: string;
  secret_expires_at: string | null;
  status: string;
  authority_host: string;
  graph_endpoint: string;
  permissions: string;
  last_tested_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SettingsTable {
  tenant_id: string;
  kind: string;
  version: number;
  value: string;
  updated_at: string;
}

export interface ExtensionTable {
  id: string;
  tenant_id: string;
  number: string;
  first_name: string;
  last_name: string;
  display_name: string;
  email: string;
  mobile: string;
  business_phone: string;
  job_title: string;
  department: string;
  office: string;
  caller_id: string;
  avatar: string | null;
  source: string;
  entra_object_id: string | null;
  entra_tenant_id: string | null;
  user_principal_name: string | null;
  locked_fields: string;
  read_only: Flag;
  enabled: Flag;
  created_at: string;
  updated_at: string;
}

export interface ExtensionGroupTable {
  id: string;
  tenant_id: string;
  name: string;
  source: string;
  entra_object_id: string | null;
  read_only: Flag;
  created_at: string;
  updated_at: string;
}

export interface ExtensionGroupMemberTable {
  tenant_id: string;
  group_id: string;
  extension_id: string;
}

export interface PhonebookTable {
  id: string;
  tenant_id: string;
  kind: string;
  name: string;
  owner_extension_id: string | null;
  source_mailbox_id: string | null;
  source: string;
  read_only: Flag;
  created_at: string;
  updated_at: string;
}

export interface PhonebookVisibilityTable {
  tenant_id: string;
  phonebook_id: string;
  /** `extension` or `group`. */
  subject_kind: string;
  subject_id: string;
}

export interface ContactTable {
  id: string;
  tenant_id: string;
  phonebook_id: string;
  source_id: string | null;
  folder_id: string | null;
  first_name: string;
  last_name: string;
  display_name: string;
  company: string;
  job_title: string;
  mobile: string;
  home_phone: string;
  business_phone: string;
  email: string;
  /** Digits of every number, space-separated, for number search. */
  search_digits: string;
  change_key: string | null;
  updated_at: string;
}

export interface PresenceMappingTable {
  tenant_id: string;
  extension_id: string;
  value: string;
  updated_at: string;
}

export interface ExtensionStatusTable {
  tenant_id: string;
  extension_id: string;
  status: string;
  source: string;
  teams_availability: string | null;
  teams_activity: string | null;
  /** Status before a calendar event took over, restored when it ends. */
  previous_status: string | null;
  last_error: string | null;
  updated_at: string;
}

export interface SyncRunTable {
  id: string;
  tenant_id: string;
  kind: string;
  trigger: string;
  status: string;
  progress: string;
  counts: string;
  plan: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
}

export interface SyncProblemTable {
  id: Generated<number>;
  tenant_id: string;
  run_id: string;
  object_id: string;
  name: string;
  reason: string;
  hint: string;
}

export interface DeltaStateTable {
  tenant_id: string;
  resource: string;
  delta_link: string;
  updated_at: string;
}

export interface GraphSubscriptionTable {
  id: string;
  tenant_id: string;
  resource: string;
  change_type: string;
  client_state: string;
  expires_at: string;
  extension_id: string | null;
  created_at: string;
}

export interface SessionTable {
  id: string;
  tenant_id: string;
  extension_id: string;
  access_hash: string;
  refresh_hash: string;
  /** Refresh-token family: reuse of a rotated token revokes the whole family. */
  family_id: string;
  access_expires_at: string;
  refresh_expires_at: string;
  revoked_at: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: string;
  tenant_id: string;
  actor: string;
  action: string;
  target: string;
  details: string;
  ip: string;
  at: string;
}

export interface WebhookEndpointTable {
  id: string;
  tenant_id: string;
  url: string;
  secret: string;
  events: string;
  enabled: Flag;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryTable {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_type: string;
  payload: string;
  attempt: number;
  status: string;
  next_attempt_at: string | null;
  response_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  tenant: TenantTable;
  admin_token: AdminTokenTable;
  integration: IntegrationTable;
  settings: SettingsTable;
  extension: ExtensionTable;
  extension_group: ExtensionGroupTable;
  extension_group_member: ExtensionGroupMemberTable;
  phonebook: PhonebookTable;
  phonebook_visibility: PhonebookVisibilityTable;
  contact: ContactTable;
  presence_mapping: PresenceMappingTable;
  extension_status: ExtensionStatusTable;
  sync_run: SyncRunTable;
  sync_problem: SyncProblemTable;
  delta_state: DeltaStateTable;
  graph_subscription: GraphSubscriptionTable;
  session: SessionTable;
  audit_log: AuditLogTable;
  webhook_endpoint: WebhookEndpointTable;
  webhook_delivery: WebhookDeliveryTable;
}
