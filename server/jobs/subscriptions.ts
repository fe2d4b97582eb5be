import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../config.js';
import { isAppError } from '../errors.js';
import { graphForTenant, type GraphClient } from '../graph/index.js';
import { lockUntilCommit, nowIso, type Store } from '../store/index.js';

/** Directory resources whose changes trigger a sync (Graph: changeType `updated,deleted` only). */
export const TRACKED_RESOURCES = ['users', 'groups'] as const;
const CHANGE_TYPE = 'updated,deleted';
const MINUTE = 60_000;
/** Under Graph's maximum of 41,760 minutes for users and groups. */
export const SUBSCRIPTION_LIFETIME_MS = 41_000 * MINUTE;
/** Renewed when less than this is left: a week of slack for outages. */
export const RENEW_WITHIN_MS = 7 * 24 * 60 * MINUTE;

const subscriptionAnswer = z.object({ id: z.string(), expirationDateTime: z.string() });

/** Only a hash of clientState is stored: enough to check notifications, useless to a reader of the database. */
export const hashClientState = (value: string): string => createHash('sha256').update(value).digest('hex');

export function clientStateMatches(given: string | null | undefined, storedHash: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 128) return false;
  const a = Buffer.from(hashClientState(given), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface TrackedSubscription {
  id: string;
  tenantId: string;
  resource: string;
  clientStateHash: string;
  expiresAt: string;
  /** Set for a user's own subscription (e.g. presence); null for the tenant's directory ones. */
  extensionId: string | null;
}

export function subscriptionRepo(store: Store) {
  const any = () => store.db.selectFrom('graph_subscription').select(['id', 'tenant_id', 'resource', 'client_state', 'expires_at', 'extension_id']);
  const base = () => any().where('resource', 'in', [...TRACKED_RESOURCES]).where('extension_id', 'is', null);
  const view = (r: { id: string; tenant_id: string; resource: string; client_state: string; expires_at: string; extension_id: string | null }): TrackedSubscription => ({
    id: r.id,
    tenantId: r.tenant_id,
    resource: r.resource,
    clientStateHash: r.client_state,
    expiresAt: r.expires_at,
    extensionId: r.extension_id,
  });
  return {
    /** Any subscription of this server, whichever module made it (notifications are checked against all). */
    async find(id: string): Promise<TrackedSubscription | undefined> {
      const row = await any().where('id', '=', id).executeTakeFirst();
      return row ? view(row) : undefined;
    },
    /** Longest-lived first: of duplicates, the first of a resource is the one to keep. */
    async ofTenant(tenantId: string): Promise<TrackedSubscription[]> {
      return (await base().where('tenant_id', '=', tenantId).orderBy('expires_at', 'desc').orderBy('id').execute()).map(view);
    },
    async remove(id: string): Promise<void> {
      await store.db.deleteFrom('graph_subscription').where('id', '=', id).execute();
    },
  };
}

/** Creates the tenant's subscription on `resource`; Graph validates both URLs before answering. */
export async function createSubscription(store: Store, graph: GraphClient, tenantId: string, resource: string, publicUrl: string, now: number) {
  const clientState = randomBytes(32).toString('base64url');
  const created = await graph.request('/subscriptions', {
    method: 'POST',
    schema: subscriptionAnswer,
    body: {
      changeType: CHANGE_TYPE,
      notificationUrl: `${publicUrl}/graph/notifications`,
      lifecycleNotificationUrl: `${publicUrl}/graph/lifecycle`,
      resource,
      expirationDateTime: new Date(now + SUBSCRIPTION_LIFETIME_MS).toISOString(),
      clientState,
    },
  });
  await store.db
    .insertInto('graph_subscription')
    .values({
      id: created.id,
      tenant_id: tenantId,
      resource,
      change_type: CHANGE_TYPE,
      client_state: hashClientState(clientState),
      expires_at: created.expirationDateTime,
      extension_id: null,
      created_at: nowIso(),
    })
    .execute();
}

/** Extends a subscription (this also reauthorizes it); false when Graph no longer knows it. */
export async function renewSubscription(store: Store, graph: GraphClient, id: string, now: number): Promise<boolean> {
  try {
    const renewed = await graph.request(`/subscriptions/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      schema: subscriptionAnswer,
      body: { expirationDateTime: new Date(now + SUBSCRIPTION_LIFETIME_MS).toISOString() },
    });
    await store.db.updateTable('graph_subscription').set({ expires_at: renewed.expirationDateTime }).where('id', '=', id).execute();
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === 'graph_not_found') {
      await subscriptionRepo(store).remove(id);
      return false;
    }
    throw error;
  }
}

/** Deletes in Graph (best effort: it expires anyway) and here. */
export async function dropSubscription(store: Store, graph: GraphClient | undefined, id: string): Promise<void> {
  await graph?.request(`/subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' }).catch(() => undefined);
  await subscriptionRepo(store).remove(id);
}

type GraphDeps = { store: Store; config: Pick<Config, 'graphCaFile'> };

/** The tail of each tenant's queue of subscription changes in this process. */
const queues = new WeakMap<Store, Map<string, Promise<unknown>>>();

/**
 * Runs `work` alone for the tenant: after this process's earlier calls, and on PostgreSQL under an
 * advisory lock that other instances wait for (its transaction stays open while Graph answers).
 * Two instances reconciling at once would otherwise both create the tenant's subscriptions.
 */
function aloneForTenant<T>(store: Store, tenantId: string, work: () => Promise<T>): Promise<T> {
  const key = `graph-subscriptions:${tenantId}`;
  const tails = queues.get(store) ?? new Map<string, Promise<unknown>>();
  queues.set(store, tails);
  const locked = () =>
    store.dialect === 'postgres'
      ? store.db.transaction().execute(async (trx) => {
          await lockUntilCommit(trx, key);
          return work();
        })
      : work();
  const result = (tails.get(key) ?? Promise.resolve()).then(locked);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return result;
}

/**
 * Makes sure users and groups each have one live subscription: missing ones are created, ones
 * close to expiry renewed (recreated when Graph lost them), extra ones deleted. The integration is
 * read under the tenant's lock, so one disabled or disconnected meanwhile gets none.
 */
export function ensureSubscriptions(deps: GraphDeps, tenantId: string, publicUrl: string, now: number): Promise<void> {
  return aloneForTenant(deps.store, tenantId, async () => {
    const graph = await graphForTenant(deps, tenantId);
    const existing = await subscriptionRepo(deps.store).ofTenant(tenantId);
    for (const resource of TRACKED_RESOURCES) {
      const [current, ...extra] = existing.filter((s) => s.resource === resource);
      for (const s of extra) await dropSubscription(deps.store, graph, s.id);
      if (current && Date.parse(current.expiresAt) - now > RENEW_WITHIN_MS) continue;
      if (current && (await renewSubscription(deps.store, graph, current.id, now))) continue;
      await createSubscription(deps.store, graph, tenantId, resource, publicUrl, now);
    }
  });
}

/**
 * Deletes the tenant's directory subscriptions, in Graph too while its credentials are stored
 * (disabled included): call before disabling or disconnecting, since Graph would otherwise keep
 * notifying for up to 29 days. Without credentials only the rows go.
 */
export function dropTenantSubscriptions(deps: GraphDeps, tenantId: string): Promise<void> {
  return aloneForTenant(deps.store, tenantId, async () => {
    const subscriptions = await subscriptionRepo(deps.store).ofTenant(tenantId);
    if (subscriptions.length === 0) return;
    const graph = await graphForTenant(deps, tenantId, { allowDisabled: true }).catch(() => undefined);
    for (const s of subscriptions) await dropSubscription(deps.store, graph, s.id);
  });
}
