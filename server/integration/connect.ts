import { z } from 'zod';
import type { Config } from '../config.js';
import { forgetContactDeltas } from '../contacts/index.js';
import { forgetSyncState } from '../directory/index.js';
import { AppError } from '../errors.js';
import { clientSecretContext, graphForCredentials, type GraphCredentials } from '../graph/index.js';
import { refreshChangeTracking } from '../jobs/index.js';
import { integrationRepo, nowIso, type IntegrationRow, type Store } from '../store/index.js';
import { GUID, tenantGuidOf } from './entra-tenant.js';
import { checkPermissions, SECRET_EXPIRY_PERMISSION, type PermissionReport } from './permissions.js';
import { readSecretExpiry } from './secret-expiry.js';
import { DEFAULT_AUTHORITY_HOST, DEFAULT_GRAPH_ENDPOINT } from './view.js';

export interface IntegrationDeps {
  store: Store;
  config: Pick<Config, 'graphCaFile'>;
}

const DOMAIN = /^(?=.{4,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/i;

const httpsOrigin = z
  .url({ message: 'must be an absolute https:// URL' })
  .refine((u) => u.startsWith('https://'), { message: 'must start with https://' })
  .transform((u) => u.replace(/\/+$/, ''));

export const connectInput = z.strictObject({
  tenantId: z.string().trim().refine((v) => GUID.test(v) || DOMAIN.test(v), {
    message: 'must be the Directory (tenant) ID (a GUID) or a verified domain such as contoso.onmicrosoft.com',
  }),
  clientId: z.string().trim().regex(GUID, { message: 'must be the Application (client) ID, a GUID' }),
  /** Optional when already connected: the stored secret is kept. */
  clientSecret: z.string().min(1).max(1024).optional(),
  authorityHost: httpsOrigin.optional(),
  graphEndpoint: httpsOrigin.optional(),
});
export type ConnectInput = z.infer<typeof connectInput>;

/** The first characters, as the Entra portal shows them next to a secret. */
const hintOf = (secret: string) => `${secret.slice(0, 3)}…`;

function credentialsOf(deps: IntegrationDeps, tenantId: string, row: IntegrationRow): GraphCredentials {
  return {
    tenantId: row.entra_tenant_id,
    clientId: row.client_id,
    clientSecret: deps.store.secrets.open(row.client_secret, clientSecretContext(tenantId)),
    authorityHost: row.authority_host,
    graphEndpoint: row.graph_endpoint,
  };
}

interface Verified {
  /** The tenant's GUID (lower-case), whatever identified the tenant in the authority. */
  entraTenantId: string;
  permissions: PermissionReport[];
  /** When this secret expires, where Graph tells (null: unknown). */
  secretExpiresAt: string | null;
}

/** A fresh token (no cache), the permission report and the secret's expiry, with these credentials. */
async function verify(deps: IntegrationDeps, tenantId: string, credentials: GraphCredentials): Promise<Verified> {
  const graph = graphForCredentials(deps, credentials);
  const permissions = await checkPermissions(graph, deps.store, tenantId);
  // The token checkPermissions just fetched (cached): its `tid` is the tenant's GUID.
  const entraTenantId = tenantGuidOf((await graph.token()).accessToken);
  const expiry = await readSecretExpiry(graph, credentials.clientId, credentials.clientSecret);
  // The role may be listed yet not effective (or granted under another name): the read itself decides.
  const report = permissions.map((p) => (p.name === SECRET_EXPIRY_PERMISSION ? { ...p, granted: !expiry.denied } : p));
  return { entraTenantId, permissions: report, secretExpiresAt: expiry.expiresAt };
}

async function requireRow(deps: IntegrationDeps, tenantId: string): Promise<IntegrationRow> {
  const row = await integrationRepo(deps.store.db).get(tenantId);
  if (!row) {
    throw new AppError('integration_not_connected', 'The Microsoft 365 integration is not connected.', {
      hint: 'Connect it first with PUT /api/v1/integration.',
    });
  }
  return row;
}

/** Where a connection points: the tenant and app, and the endpoints the secret and its tokens are sent to. */
type Target = Omit<GraphCredentials, 'clientSecret'>;

/** What a reconnect changes of the saved connection: ids compared case-insensitively, URLs exactly. */
function changedFields(existing: IntegrationRow, target: Target): Array<keyof Target> {
  const saved: Target = { tenantId: existing.entra_tenant_id, clientId: existing.client_id, authorityHost: existing.authority_host, graphEndpoint: existing.graph_endpoint };
  const differs = (key: keyof Target) => (key === 'tenantId' || key === 'clientId' ? saved[key].toLowerCase() !== target[key].toLowerCase() : saved[key] !== target[key]);
  return (Object.keys(saved) as Array<keyof Target>).filter(differs);
}

/**
 * The saved secret, for a reconnect that leaves it out: only towards the tenant, app and endpoints
 * it was saved for, so that a changed authorityHost or graphEndpoint never receives it (or its tokens).
 */
function storedSecret(deps: IntegrationDeps, tenantId: string, existing: IntegrationRow | undefined, target: Target): string {
  if (!existing) {
    throw new AppError('validation_failed', 'clientSecret is required to connect.', {
      fields: [{ path: 'body.clientSecret', message: "paste the secret's Value from Certificates & secrets" }],
    });
  }
  const changed = changedFields(existing, target);
  if (changed.length > 0) {
    throw new AppError('validation_failed', `Enter clientSecret again: the saved secret is only sent to the tenant, app and endpoints it was saved for, and this changes ${changed.join(', ')}.`, {
      fields: [{ path: 'body.clientSecret', message: 'enter the secret again: the saved one is only sent to the tenant, app and endpoints it was saved for' }],
    });
  }
  return deps.store.secrets.open(existing.client_secret, clientSecretContext(tenantId));
}

/**
 * Another tenant, app or Graph endpoint: the stored delta links belong to the old one (Graph would
 * refuse them, or they describe another directory), so the next runs start with full rounds.
 */
async function forgetDeltasIfRetargeted(deps: IntegrationDeps, tenantId: string, existing: IntegrationRow | undefined, saved: Target): Promise<void> {
  if (!existing || changedFields(existing, saved).every((field) => field === 'authorityHost')) return;
  await forgetSyncState(deps.store, tenantId, { users: true, groups: true });
  await forgetContactDeltas(deps.store, tenantId);
}

/**
 * Connect (or reconfigure): acquires an app-only token with the given credentials and probes the
 * permissions before anything is saved, so a typo never replaces a working configuration.
 */
export async function connect(deps: IntegrationDeps, tenantId: string, input: ConnectInput): Promise<PermissionReport[]> {
  const existing = await integrationRepo(deps.store.db).get(tenantId);
  const target: Target = {
    tenantId: input.tenantId,
    clientId: input.clientId,
    authorityHost: input.authorityHost ?? existing?.authority_host ?? DEFAULT_AUTHORITY_HOST,
    graphEndpoint: input.graphEndpoint ?? existing?.graph_endpoint ?? DEFAULT_GRAPH_ENDPOINT,
  };
  const secret = input.clientSecret ?? storedSecret(deps, tenantId, existing, target);
  const credentials: GraphCredentials = { ...target, clientSecret: secret };
  const { entraTenantId, permissions, secretExpiresAt } = await verify(deps, tenantId, credentials);
  const now = nowIso();
  await integrationRepo(deps.store.db).upsert({
    tenant_id: tenantId,
    entra_tenant_id: entraTenantId,
    client_id: credentials.clientId,
    client_secret: deps.store.secrets.seal(secret, clientSecretContext(tenantId)),
    pending_client_secret: null,
    secret_hint: hintOf(secret),
    secret_expires_at: secretExpiresAt,
    status: existing?.status === 'disabled' ? 'disabled' : 'connected',
    authority_host: credentials.authorityHost,
    graph_endpoint: credentials.graphEndpoint,
    permissions: JSON.stringify(permissions),
    last_tested_at: now,
    created_at: existing?.created_at ?? now,
    updated_at: now,
  });
  // After saving: a run started before then works with the old connection, and the forgetting outlives its links.
  await forgetDeltasIfRetargeted(deps, tenantId, existing, { ...target, tenantId: entraTenantId });
  await refreshChangeTracking(deps.store, tenantId);
  return permissions;
}

/** Test connection: the saved credentials, a fresh token, the per-permission report (saved too). */
export async function testConnection(deps: IntegrationDeps, tenantId: string): Promise<PermissionReport[]> {
  const row = await requireRow(deps, tenantId);
  const { entraTenantId, permissions, secretExpiresAt } = await verify(deps, tenantId, credentialsOf(deps, tenantId, row));
  const now = nowIso();
  await integrationRepo(deps.store.db).update(tenantId, {
    entra_tenant_id: entraTenantId,
    permissions: JSON.stringify(permissions),
    secret_expires_at: secretExpiresAt,
    last_tested_at: now,
    updated_at: now,
  });
  return permissions;
}

export const secretInput = z.strictObject({ clientSecret: z.string().min(1).max(1024) });

/**
 * Rotates the client secret: the new one is parked as pending and only replaces the old one once
 * it has obtained a token; if it fails, the old secret stays in use and the error says why.
 */
export async function updateSecret(deps: IntegrationDeps, tenantId: string, clientSecret: string): Promise<PermissionReport[]> {
  const row = await requireRow(deps, tenantId);
  const repo = integrationRepo(deps.store.db);
  const context = clientSecretContext(tenantId);
  await repo.update(tenantId, { pending_client_secret: deps.store.secrets.seal(clientSecret, context), updated_at: nowIso() });
  let verified: Verified;
  try {
    verified = await verify(deps, tenantId, { ...credentialsOf(deps, tenantId, row), clientSecret });
  } catch (error) {
    await repo.update(tenantId, { pending_client_secret: null, updated_at: nowIso() });
    throw error;
  }
  const now = nowIso();
  await repo.update(tenantId, {
    entra_tenant_id: verified.entraTenantId,
    client_secret: deps.store.secrets.seal(clientSecret, context),
    pending_client_secret: null,
    secret_hint: hintOf(clientSecret),
    secret_expires_at: verified.secretExpiresAt,
    permissions: JSON.stringify(verified.permissions),
    last_tested_at: now,
    updated_at: now,
  });
  return verified.permissions;
}
