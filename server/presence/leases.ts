import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.js';

/** A lease lasts this long without renewal: a dead instance's tenants move on within it. */
export const LEASE_MS = 30_000;
/** Renewed once less than this is left, so a live owner never lets it lapse between ticks. */
const RENEW_BEFORE_MS = 20_000;

export interface PresenceLeases {
  /** This instance's id in the lease table. */
  readonly owner: string;
  /** Whether this instance polls the tenant now: claims a free or lapsed lease, renews its own. */
  holds(tenantId: string, now: number): Promise<boolean>;
  /** Gives up every lease (at shutdown), so another instance takes over at once. */
  releaseAll(): Promise<void>;
}

/**
 * Presence polling is partitioned by tenant: each tenant's users are polled by the one instance
 * holding its lease. With one instance (SQLite) that is always this one; on PostgreSQL several
 * instances share the tenants, and a crashed instance's tenants are taken over after `LEASE_MS`.
 */
export function createPresenceLeases(store: Store): PresenceLeases {
  const owner = randomBytes(8).toString('base64url');
  const held = new Map<string, number>();
  const { db } = store;

  async function claim(tenantId: string, now: number): Promise<boolean> {
    const nowIso = new Date(now).toISOString();
    const expires = new Date(now + LEASE_MS).toISOString();
    await db
      .insertInto('presence_lease')
      .values({ tenant_id: tenantId, owner, expires_at: expires })
      .onConflict((oc) => oc.column('tenant_id').doNothing())
      .execute();
    // One conditional update decides between racing instances: only the owner or a lapsed lease matches.
    const result = await db
      .updateTable('presence_lease')
      .set({ owner, expires_at: expires })
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('owner', '=', owner), eb('expires_at', '<', nowIso)]))
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) held.set(tenantId, now + LEASE_MS);
    else held.delete(tenantId);
    return result.numUpdatedRows > 0n;
  }

  return {
    owner,
    async holds(tenantId, now) {
      const until = held.get(tenantId);
      if (until !== undefined && until - now > RENEW_BEFORE_MS) return true;
      return claim(tenantId, now);
    },
    async releaseAll() {
      held.clear();
      await db.deleteFrom('presence_lease').where('owner', '=', owner).execute();
    },
  };
}
