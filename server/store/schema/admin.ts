/** Tenants and their administration: admin tokens and sessions, settings, audit log. */

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

export interface SettingsTable {
  tenant_id: string;
  kind: string;
  version: number;
  value: string;
  updated_at: string;
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
