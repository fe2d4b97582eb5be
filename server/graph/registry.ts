import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics/index.js';
import { AppError } from '../errors.js';
import { integrationRepo, type IntegrationRow, type Store } from '../store/index.js';
import { createGraphClient, type GraphClient, type GraphClientOptions } from './client.js';
import { createTransport, type Transport } from './transport.js';

/** Associated data the client secret is sealed with: a sealed secret only opens in its own row. */
export const clientSecretContext = (tenantId: string): string => `integration:${tenantId}:client_secret`;

const transports = new Map<string, Transport>();

/** One HTTP transport per CA file for the whole process (connection pooling across tenants). */
export function transportFor(caFile: string | undefined): Transport {
  const key = caFile ?? '';
  let transport = transports.get(key);
  if (!transport) transports.set(key, (transport = createTransport(caFile)));
  return transport;
}

/** Closes pooled connections (at shutdown, and at the end of a CLI command). */
export async function closeGraphTransports(): Promise<void> {
  const all = [...transports.values()];
  transports.clear();
  await Promise.all(all.map((t) => t.close()));
}

interface Entry {
  fingerprint: string;
  client: GraphClient;
}
interface StoreClients {
  clients: Map<string, Entry>;
  options: Partial<Omit<GraphClientOptions, 'transport'>>;
}
const byStore = new WeakMap<Store, StoreClients>();

function clientsOf(store: Store): StoreClients {
  let entry = byStore.get(store);
  if (!entry) byStore.set(store, (entry = { clients: new Map(), options: {} }));
  return entry;
}

/** Retry and budget settings for the clients of one store (tests shorten the waits). */
export function configureGraphClients(store: Store, options: Partial<Omit<GraphClientOptions, 'transport'>>): void {
  const entry = clientsOf(store);
  entry.options = options;
  entry.clients.clear();
}

const fingerprintOf = (row: IntegrationRow) =>
  createHash('sha256')
    .update([row.entra_tenant_id, row.client_id, row.client_secret, row.authority_host, row.graph_endpoint].join('\n'))
    .digest('base64url');

export interface TenantGraphOptions {
  /** Also hand out a client while the integration is disabled (the integration module's own checks). */
  allowDisabled?: boolean;
}

/**
 * The Graph client of a tenant's connected integration — how every module reaches Microsoft.
 * Clients are cached per tenant (one token cache and request budget each) and rebuilt when the
 * credentials change. Throws `integration_not_connected` / `integration_disabled`.
 */
export async function graphForTenant(
  deps: { store: Store; config: Pick<Config, 'graphCaFile'> },
  tenantId: string,
  options: TenantGraphOptions = {},
): Promise<GraphClient> {
  const row = await integrationRepo(deps.store.db).get(tenantId);
  if (!row || row.status === 'disconnected') {
    throw new AppError('integration_not_connected', 'The Microsoft 365 integration is not connected.', {
      hint: 'Connect it with PUT /api/v1/integration (tenant ID, client ID, client secret).',
    });
  }
  if (row.status === 'disabled' && !options.allowDisabled) {
    throw new AppError('integration_disabled', 'The Microsoft 365 integration is disabled.', {
      hint: 'Enable it with POST /api/v1/integration/enable.',
    });
  }
  const store = clientsOf(deps.store);
  const fingerprint = fingerprintOf(row);
  const cached = store.clients.get(tenantId);
  if (cached?.fingerprint === fingerprint) return cached.client;
  const client = createGraphClient(
    {
      tenantId: row.entra_tenant_id,
      clientId: row.client_id,
      clientSecret: deps.store.secrets.open(row.client_secret, clientSecretContext(tenantId)),
      authorityHost: row.authority_host,
      graphEndpoint: row.graph_endpoint,
    },
    { ...store.options, transport: transportFor(deps.config.graphCaFile) },
  );
  store.clients.set(tenantId, { fingerprint, client });
  return client;
}

/** A client for credentials that are not saved yet (connect, secret rotation), with the store's settings. */
export function graphForCredentials(
  deps: { store: Store; config: Pick<Config, 'graphCaFile'> },
  credentials: Parameters<typeof createGraphClient>[0],
): GraphClient {
  return createGraphClient(credentials, { ...clientsOf(deps.store).options, transport: transportFor(deps.config.graphCaFile) });
}

/** Request totals of a store's tenant clients, for metrics (a client rebuilt on new credentials starts again from 0). */
function graphRequestTotals(store: Store): Array<{ tenantId: string; requests: number; retries: number }> {
  return [...clientsOf(store).clients].map(([tenantId, { client }]) => ({ tenantId, requests: client.stats.requests, retries: client.stats.retries }));
}

/** Graph request counters of a store, read at each scrape. */
export function recordGraphMetrics(store: Store, metrics: Metrics): void {
  const totals = (pick: 'requests' | 'retries') => () => graphRequestTotals(store).map((t) => ({ labels: { tenant: t.tenantId }, value: t[pick] }));
  metrics.counter('ucbridge_graph_requests_total', 'HTTP requests sent to Microsoft Graph, retries included, by tenant', totals('requests'));
  metrics.counter('ucbridge_graph_retries_total', 'Graph requests answered 429/503/504 or failed on the network and retried, by tenant', totals('retries'));
}
