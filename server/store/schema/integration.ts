/** The Microsoft 365 connection: the app registration's credentials, delta links, change-notification subscriptions. */

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
