import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { isAppError } from '../errors.js';
// Types only: a runtime import of jobs would close the cycle jobs → directory → sso → presence.
import type { AuthenticItem } from '../jobs/index.js';
import { hashToken, nowIso, type Store } from '../store/index.js';
import { createPresenceSubscription, redeemPresenceGrant, renewPresenceSubscription } from './delegated.js';
import { presenceGrantRepo, type PresenceGrant } from './grants.js';
import { presenceChanged } from './notified.js';
import { getPresenceSyncSettings } from './settings.js';
import { targetsOf, type PresenceTarget } from './targets.js';

/**
 * Delegated presence subscriptions (PUBLIC_URL set): each user who signed in on the web while
 * presence sync was on gets a subscription on their own presence, made and renewed with their
 * own delegated token. Users with a healthy subscription are left out of polling; any failure
 * (grant refused, subscription refused or lost, renewal missed, lifecycle removal) puts them
 * back into polling at once. Rows live in graph_subscription (resource `presence`, extension_id
 * = the user); only a hash of clientState is stored.
 */
export const PRESENCE_RESOURCE = 'presence';
const MINUTE = 60_000;
/** Graph allows at most 60 minutes for presence subscriptions. */
const LIFETIME_MS = 55 * MINUTE;
/** Renewed when less is left: several manager checks before expiry. */
const RENEW_WITHIN_MS = 15 * MINUTE;
/** A subscription this close to its expiry no longer counts: polling takes over before a gap. */
const COVER_MARGIN_MS = MINUTE;
/** After a failure the user is polled; a new subscription is tried after this. */
const RETRY_AFTER_MS = 5 * MINUTE;

/** Graph writes up to seven fractional digits; stored as toISOString() so expiries compare as text. */
const isoOf = (graphDateTime: string) => new Date(graphDateTime).toISOString();

type Deps = { store: Store; config: Pick<Config, 'graphCaFile' | 'publicUrl'> };

const presenceRows = (store: Store, tenantId: string) =>
  store.db.selectFrom('graph_subscription').select(['id', 'extension_id', 'expires_at']).where('tenant_id', '=', tenantId).where('resource', '=', PRESENCE_RESOURCE);

/** Extensions whose presence arrives by notification (the poller skips them). */
export async function subscribedExtensions(store: Store, tenantId: string, now = Date.now()): Promise<Set<string>> {
  const rows = await presenceRows(store, tenantId).where('expires_at', '>', new Date(now + COVER_MARGIN_MS).toISOString()).execute();
  return new Set(rows.flatMap((r) => (r.extension_id ? [r.extension_id] : [])));
}

async function dropRows(store: Store, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await store.db.deleteFrom('graph_subscription').where('id', 'in', ids).execute();
}

export interface SubscriptionSyncReport {
  created: number;
  renewed: number;
  failed: number;
  /** Users covered by a subscription after the check. */
  active: number;
}

/** One user's subscription made or extended with their own token; throws on any failure. */
async function ensureOne(deps: Deps, tenantId: string, target: PresenceTarget, grant: PresenceGrant, existing: { id: string } | undefined, now: number): Promise<'created' | 'renewed'> {
  const grants = presenceGrantRepo(deps.store);
  const token = await redeemPresenceGrant(deps, tenantId, grant.refreshToken);
  if (token.refreshToken) await grants.rotate(tenantId, target.extensionId, token.refreshToken);
  const expiresAt = new Date(now + LIFETIME_MS);
  if (existing) {
    const renewed = await renewPresenceSubscription(deps, tenantId, token.accessToken, existing.id, expiresAt);
    if (renewed) {
      await deps.store.db.updateTable('graph_subscription').set({ expires_at: isoOf(renewed.expirationDateTime) }).where('id', '=', existing.id).execute();
      return 'renewed';
    }
    await dropRows(deps.store, [existing.id]);
  }
  // Stored as its SHA-256 (hex), what jobs checks notifications against (clientStateMatches).
  const clientState = randomBytes(32).toString('base64url');
  const publicUrl = deps.config.publicUrl ?? '';
  const created = await createPresenceSubscription(deps, tenantId, token.accessToken, { objectIds: [target.objectId], publicUrl, clientState, expiresAt });
  await deps.store.db
    .insertInto('graph_subscription')
    .values({ id: created.id, tenant_id: tenantId, resource: PRESENCE_RESOURCE, change_type: 'updated', client_state: hashToken(clientState), expires_at: isoOf(created.expirationDateTime), extension_id: target.extensionId, created_at: nowIso() })
    .execute();
  return 'created';
}

/**
 * Makes every followed user with a live grant subscribed: missing subscriptions created (unless
 * a recent failure says wait), those within RENEW_WITHIN_MS of expiry renewed. A user who was not
 * covered until now is read once, the way a notification is. Subscriptions of users no longer
 * followed, or without a live grant, are forgotten (Graph ends them within the hour).
 */
export async function syncPresenceSubscriptions(deps: Deps, tenantId: string, now = Date.now()): Promise<SubscriptionSyncReport> {
  const report: SubscriptionSyncReport = { created: 0, renewed: 0, failed: 0, active: 0 };
  const settings = await getPresenceSyncSettings(deps.store, tenantId);
  const rows = await presenceRows(deps.store, tenantId).execute();
  const usable = Boolean(deps.config.publicUrl) && settings.enabled && settings.source !== 'calendar';
  const grants = usable ? await presenceGrantRepo(deps.store).live(tenantId) : [];
  const targets = new Map((await targetsOf(deps.store.db, tenantId, grants.map((g) => g.extensionId))).map((t) => [t.extensionId, t]));
  const owned = new Map(rows.map((r) => [r.extension_id ?? '', r]));
  await dropRows(deps.store, rows.filter((r) => !r.extension_id || !targets.has(r.extension_id)).map((r) => r.id));
  for (const grant of grants) {
    const target = targets.get(grant.extensionId);
    if (!target) continue;
    const existing = owned.get(grant.extensionId);
    if (existing && Date.parse(existing.expires_at) - now > RENEW_WITHIN_MS) {
      report.active++;
      continue;
    }
    if (!existing && grant.retryAt && Date.parse(grant.retryAt) > now) continue;
    const covered = existing !== undefined && Date.parse(existing.expires_at) - now > COVER_MARGIN_MS;
    try {
      const outcome = await ensureOne(deps, tenantId, target, grant, existing, now);
      report[outcome]++;
      report.active++;
      // Graph notifies only changes made once the subscription exists: one read catches a change made
      // since the user was last polled (or while Graph had dropped or lapsed their subscription).
      if (outcome === 'created' || !covered) presenceChanged(deps.store, tenantId, [grant.extensionId]);
    } catch (error) {
      report.failed++;
      await failed(deps.store, tenantId, grant.extensionId, error, now);
    }
  }
  return report;
}

/** Back to polling: the user's subscription row goes, a new one is tried after RETRY_AFTER_MS. */
async function failed(store: Store, tenantId: string, extensionId: string, error: unknown, now: number): Promise<void> {
  await store.db.deleteFrom('graph_subscription').where('tenant_id', '=', tenantId).where('resource', '=', PRESENCE_RESOURCE).where('extension_id', '=', extensionId).execute();
  const message = isAppError(error) ? error.message : error instanceof Error ? error.message : String(error);
  await presenceGrantRepo(store).failed(tenantId, extensionId, `presence subscription: ${message}`, new Date(now + RETRY_AFTER_MS).toISOString());
}

/**
 * Receives the notifications of `presence` subscriptions (server/main.ts registers it with
 * jobs' `handleGraphNotifications`, after jobs checked subscription id and clientState).
 * Notifications: they carry no presence (see ./notified.ts), so the subscription's user is handed
 * to the presence service, which reads their presence from Graph moments later and applies it the
 * way the poller does. Lifecycle: `subscriptionRemoved` → polling, a new subscription later;
 * `reauthorizationRequired` and `missed` → polled from the next cycle and renewed at the next check.
 */
export async function onPresenceNotifications(store: Store, items: AuthenticItem[], kind: 'notification' | 'lifecycle'): Promise<void> {
  for (const { item, subscription } of items) {
    const { tenantId, extensionId } = subscription;
    if (!extensionId) continue;
    if (kind === 'notification') presenceChanged(store, tenantId, [extensionId]);
    else if (item.lifecycleEvent === 'subscriptionRemoved') await failed(store, tenantId, extensionId, new Error('Graph removed the subscription'), Date.now());
    else await store.db.updateTable('graph_subscription').set({ expires_at: nowIso() }).where('id', '=', subscription.id).execute();
  }
}

