import { z } from 'zod';
import { integrationRepo, type Store } from '../store/index.js';
import { permissionReport } from './permissions.js';
import { expiryWarning, secretExpiryWarning } from './secret-expiry.js';

export const integrationStatus = z.enum(['connected', 'disabled', 'disconnected']);

/** What the API shows of the connection: never the secret, only its last characters. */
export const integrationView = z.object({
  status: integrationStatus,
  tenantId: z.string().nullable(),
  clientId: z.string().nullable(),
  authorityHost: z.string(),
  graphEndpoint: z.string(),
  secretHint: z.string().nullable(),
  /** When the client secret expires, where Graph exposes it (Application.Read.All); null when unknown. */
  secretExpiresAt: z.string().nullable(),
  /** Set from 30 days before the expiry on (thresholds 30, 7, 1 days; 0 = expired). */
  secretExpiryWarning: secretExpiryWarning.nullable(),
  permissions: z.array(permissionReport),
  lastTestedAt: z.string().nullable(),
});
export type IntegrationView = z.infer<typeof integrationView>;

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com';

const storedPermissions = z.array(permissionReport).catch([]);

export async function getIntegrationView(store: Store, tenantId: string): Promise<IntegrationView> {
  const row = await integrationRepo(store.db).get(tenantId);
  if (!row) {
    return {
      status: 'disconnected',
      tenantId: null,
      clientId: null,
      authorityHost: DEFAULT_AUTHORITY_HOST,
      graphEndpoint: DEFAULT_GRAPH_ENDPOINT,
      secretHint: null,
      secretExpiresAt: null,
      secretExpiryWarning: null,
      permissions: [],
      lastTestedAt: null,
    };
  }
  return {
    status: integrationStatus.parse(row.status),
    tenantId: row.entra_tenant_id,
    clientId: row.client_id,
    authorityHost: row.authority_host,
    graphEndpoint: row.graph_endpoint,
    secretHint: row.secret_hint,
    secretExpiresAt: row.secret_expires_at,
    secretExpiryWarning: expiryWarning(row.secret_expires_at),
    permissions: storedPermissions.parse(JSON.parse(row.permissions)),
    lastTestedAt: row.last_tested_at,
  };
}
