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

export interface AdminSessionTable {
  id: string;
  tenant_id: string;
  /** SHA-256 of the session cookie's token. */
  token_hash: string;
  /** SHA-256 of the CSRF token the page sends back in a header. */
  csrf_hash: string;
  /** Label of the admin token that opened the session. */
  label: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
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

/** A synced user's profile photo (migration 009); `data` is base64. */
export interface ExtensionAvatarTable {
  extension_id: string;
  tenant_id: string;
  content_type: string;
  etag: string;
  data: string;
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
  /** `rotated` (replaced by a refresh), `reuse`, `logout`, `extension`, `sso_disabled`… */
  revoked_reason: string | null;
  created_at: string;
}

export interface SsoChallengeTable {
  /** SHA-256 of the web flow's `state` or of an exchange nonce. */
  id: string;
  tenant_id: string;
  /** `login` (web flow) or `nonce` (ID-token exchange). */
  kind: string;
  nonce: string;
  /** Sealed PKCE verifier (web flow). */
  code_verifier: string | null;
  /** SHA-256 of the cookie that ties the web flow to the browser that started it. */
  browser_hash: string | null;
  redirect_uri: string | null;
  return_to: string | null;
  expires_at: string;
  used_at: string | null;
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

export interface SyncPlanItemTable {
  tenant_id: string;
  run_id: string;
  seq: number;
  op: string;
  payload: string;
}

/** Mirror of an Entra group (kept by groups delta). */
export interface EntraGroupTable {
  tenant_id: string;
  id: string;
  display_name: string;
  unified: Flag;
  security: Flag;
}

/** Mirror of a direct membership in an Entra group; `member_kind` is `user` or `group`. */
export interface EntraMembershipTable {
  tenant_id: string;
  group_id: string;
  member_id: string;
  member_kind: string;
}

/** A queued or running job of the embedded runner (finished jobs are deleted; failed ones stay). */
export interface JobTable {
  id: string;
  tenant_id: string;
  name: string;
  /** Jobs sharing a key never run at the same time; a queued one absorbs later requests. */
  singleton_key: string | null;
  payload: string;
  /** `queued` | `active` | `failed`. */
  state: string;
  run_at: string;
  attempt: number;
  retry_limit: number;
  last_error: string | null;
  created_at: string;
  started_at: string | null;
}

/** A cron schedule of the embedded runner, evaluated in its IANA time zone. */
export interface JobScheduleTable {
  tenant_id: string;
  name: string;
  pattern: string;
  time_zone: string;
  singleton_key: string | null;
  payload: string;
  next_run_at: string;
  updated_at: string;
}

/** A contact folder of a synced mailbox (default Contacts folder and sub-folders) and its delta link. */
export interface ContactFolderTable {
  tenant_id: string;
  phonebook_id: string;
  folder_id: string;
  /** null for the default Contacts folder. */
  parent_id: string | null;
  display_name: string;
  /** Next delta round of this folder; null until a round completed. */
  delta_link: string | null;
  updated_at: string;
}

/** A signed-in user's Entra refresh token for delegated presence subscriptions (migration 008). */
export interface PresenceLeaseTable {
  tenant_id: string;
  /** The instance polling this tenant's presence. */
  owner: string;
  expires_at: string;
}

export interface PresenceGrantTable {
  tenant_id: string;
  extension_id: string;
  /** The sign-in (session family) the grant belongs to: revoking it ends the grant. */
  family_id: string;
  /** Sealed (`store.secrets.seal`, context per tenant and extension). */
  refresh_token: string;
  /** After a failure, no new subscription before this time (the user is polled meanwhile). */
  retry_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** Presence sync per extension: last Teams value seen, calendar takeover, PBX call state, last error. */
export interface PresenceStateTable {
  tenant_id: string;
  extension_id: string;
  teams_availability: string | null;
  teams_activity: string | null;
  /** What the user's mapping made of the last Teams value (an extension status or `no_change`). */
  teams_result: string | null;
  teams_changed_at: string | null;
  /** The status a running calendar event set; null when no event is in charge. */
  calendar_status: string | null;
  /** Status (and its source) to put back when the calendar event ends. */
  restore_status: string | null;
  restore_source: string | null;
  /** Call state the PBX reported and we wrote to Teams (`ringing`/`busy`), until its expiry. */
  call_state: string | null;
  call_state_until: string | null;
  last_error: string | null;
  last_error_at: string | null;
  updated_at: string;
}

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
  entra_group: EntraGroupTable;
  entra_membership: EntraMembershipTable;
  job: JobTable;
  job_schedule: JobScheduleTable;
  contact_folder: ContactFolderTable;
}
