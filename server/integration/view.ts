import { z } from 'zod';
import { integrationRepo, type Store } from '../store/index.js';

export const integrationStatus = z.enum(['connected', 'disabled', 'disconnected']);

/** What the API shows of the connection: never the secret, only its last characters. */
export const integrationView = z.object({
  status: integrationStatus,
  tenantId: z.string().nullable(),
  clientId: z.string().nullable(),
  authorityHost: z.string(),
  graphEndpoint: z.string(),
  secretHint: z.string().nullable(),
  secretExpiresAt: z.string().nullable(),
  permissions: z.array(z.object({ name: z.string(), granted: z.boolean(), requiredFor: z.array(z.string()) })),
  lastTestedAt: z.string().nullable(),
});
export type IntegrationView = z.infer<typeof integrationView>;

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_ENDPOINT = 'https://graph.microsoft.com';

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
    permissions: integrationView.shape.permissions.parse(JSON.parse(row.permissions)),
    lastTestedAt: row.last_tested_at,
  };
}
