import { z } from 'zod';
import { errors } from '../errors.js';
import { fromFlag, newId, nowIso, toFlag, type Store, type WebhookEndpointTable } from '../store/index.js';
import { deliveryRow, eventBody, eventFilter, PING_EVENT, wakeDispatchers } from './events.js';
import { generateSecret, secretContext } from './signing.js';
import { checkWebhookUrl } from './url-policy.js';

export const endpointView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  /** Why ucbridge stopped sending (e.g. the receiver answered 410 Gone); null when enabled. */
  disabledReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EndpointView = z.infer<typeof endpointView>;

export const endpointInput = z.strictObject({
  url: z.string().max(2000),
  events: z.array(eventFilter).min(1).max(50).default(['*']),
  enabled: z.boolean().default(true),
});
export const endpointPatch = z.strictObject({
  url: z.string().max(2000).optional(),
  events: z.array(eventFilter).min(1).max(50).optional(),
  enabled: z.boolean().optional(),
});

const toView = (row: WebhookEndpointTable): EndpointView => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as string[],
  enabled: fromFlag(row.enabled),
  disabledReason: row.disabled_reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

async function row(store: Store, tenantId: string, id: string): Promise<WebhookEndpointTable> {
  const found = await store.db
    .selectFrom('webhook_endpoint')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!found) throw errors.notFound('Webhook endpoint', id);
  return found;
}

/** Registers an endpoint; the secret is returned this once and stored sealed. */
export async function createEndpoint(
  store: Store,
  tenantId: string,
  input: z.output<typeof endpointInput>,
): Promise<EndpointView & { secret: string }> {
  const id = newId();
  const secret = generateSecret();
  const now = nowIso();
  const values: WebhookEndpointTable = {
    id,
    tenant_id: tenantId,
    url: checkWebhookUrl(input.url),
    secret: store.secrets.seal(secret, secretContext(tenantId, id)),
    events: JSON.stringify([...new Set(input.events)]),
    enabled: toFlag(input.enabled),
    disabled_reason: null,
    created_at: now,
    updated_at: now,
  };
  await store.db.insertInto('webhook_endpoint').values(values).execute();
  return { ...toView(values), secret };
}

export async function listEndpoints(store: Store, tenantId: string, page: { limit: number; after?: string | undefined }) {
  let query = store.db.selectFrom('webhook_endpoint').selectAll().where('tenant_id', '=', tenantId).orderBy('id').limit(page.limit);
  if (page.after) query = query.where('id', '>', page.after);
  return (await query.execute()).map(toView);
}

export async function getEndpoint(store: Store, tenantId: string, id: string): Promise<EndpointView> {
  return toView(await row(store, tenantId, id));
}

/** Changes url, events or enabled; enabling again clears the reason it was disabled. */
export async function updateEndpoint(
  store: Store,
  tenantId: string,
  id: string,
  patch: z.output<typeof endpointPatch>,
): Promise<EndpointView> {
  await row(store, tenantId, id);
  await store.db
    .updateTable('webhook_endpoint')
    .set({
      ...(patch.url !== undefined ? { url: checkWebhookUrl(patch.url) } : {}),
      ...(patch.events ? { events: JSON.stringify([...new Set(patch.events)]) } : {}),
      ...(patch.enabled !== undefined ? { enabled: toFlag(patch.enabled), disabled_reason: null } : {}),
      updated_at: nowIso(),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  return getEndpoint(store, tenantId, id);
}

export async function deleteEndpoint(store: Store, tenantId: string, id: string): Promise<void> {
  await row(store, tenantId, id);
  await store.db.deleteFrom('webhook_delivery').where('tenant_id', '=', tenantId).where('endpoint_id', '=', id).execute();
  await store.db.deleteFrom('webhook_endpoint').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/** Replaces the secret at once (shown this once); the old one stops verifying. */
export async function rotateSecret(store: Store, tenantId: string, id: string): Promise<{ secret: string }> {
  await row(store, tenantId, id);
  const secret = generateSecret();
  await store.db
    .updateTable('webhook_endpoint')
    .set({ secret: store.secrets.seal(secret, secretContext(tenantId, id)), updated_at: nowIso() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  return { secret };
}

/** Queues a `webhook.ping` to one enabled endpoint, whatever events it subscribed to. */
export async function sendPing(store: Store, tenantId: string, id: string): Promise<{ deliveryId: string }> {
  const endpoint = await row(store, tenantId, id);
  if (!fromFlag(endpoint.enabled)) {
    throw errors.conflict('The endpoint is disabled; enable it (PATCH enabled: true) before sending a test ping.');
  }
  const now = nowIso();
  const delivery = deliveryRow(tenantId, id, PING_EVENT, eventBody(PING_EVENT, { endpointId: id }, now), now);
  await store.db.insertInto('webhook_delivery').values(delivery).execute();
  wakeDispatchers();
  return { deliveryId: delivery.id };
}
