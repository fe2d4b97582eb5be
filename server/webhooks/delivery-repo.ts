import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../store/index.js';

export interface DueDelivery {
  id: string;
  tenantId: string;
  endpointId: string;
  payload: string;
  attempt: number;
  url: string;
  /** Sealed. */
  secret: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The outbox side of `webhook_delivery`: claiming due rows and recording attempts. */
export function deliveryRepo(db: Kysely<Database>) {
  const finish = (id: string, values: Partial<Database['webhook_delivery']>) =>
    db
      .updateTable('webhook_delivery')
      .set({ ...values, updated_at: nowIso() })
      .where('id', '=', id)
      .execute()
      .then(() => undefined);

  /** The endpoint's oldest due delivery, claimed; undefined when another process got there first. */
  async function claimNext(endpointId: string, at: string, leaseUntil: string): Promise<DueDelivery | undefined> {
    const row = await db
      .selectFrom('webhook_delivery as d')
      .innerJoin('webhook_endpoint as e', 'e.id', 'd.endpoint_id')
      .select(['d.id', 'd.tenant_id', 'd.endpoint_id', 'd.payload', 'd.attempt', 'd.next_attempt_at', 'e.url', 'e.secret'])
      .where('d.endpoint_id', '=', endpointId)
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', at)
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(1)
      .executeTakeFirst();
    if (!row) return undefined;
    const result = await db
      .updateTable('webhook_delivery')
      .set({ next_attempt_at: leaseUntil })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    return { id: row.id, tenantId: row.tenant_id, endpointId: row.endpoint_id, payload: row.payload, attempt: row.attempt, url: row.url, secret: row.secret };
  }

  return {
    /**
     * The next due delivery of up to `limit` enabled endpoints not in `skip` (those waiting longest
     * first): each endpoint's oldest, so that its deliveries go in the order their events happened.
     * Each is claimed by pushing its next attempt past a lease: a process that dies mid-send leaves
     * the row to be retried when the lease ends.
     */
    async claimDue(now: number, limit: number, leaseMs: number, skip: ReadonlySet<string>): Promise<DueDelivery[]> {
      const at = iso(now);
      const endpoints = await db
        .selectFrom('webhook_endpoint as e')
        .select((eb) => [
          'e.id',
          eb
            .selectFrom('webhook_delivery as d')
            .select((d) => d.fn.min('d.next_attempt_at').as('due'))
            .whereRef('d.endpoint_id', '=', 'e.id')
            .where('d.status', '=', 'pending')
            .where('d.next_attempt_at', '<=', at)
            .as('due'),
        ])
        .where('e.enabled', '=', 1)
        .execute();
      const waiting = endpoints
        .filter((e): e is { id: string; due: string } => typeof e.due === 'string' && !skip.has(e.id))
        .sort((a, b) => a.due.localeCompare(b.due))
        .slice(0, limit);
      const claimed: DueDelivery[] = [];
      for (const endpoint of waiting) {
        const next = await claimNext(endpoint.id, at, iso(now + leaseMs));
        if (next) claimed.push(next);
      }
      return claimed;
    },
    succeeded: (id: string, attempt: number, status: number) =>
      finish(id, { status: 'succeeded', attempt, response_status: status, last_error: null, next_attempt_at: null }),
    failed: (id: string, attempt: number, status: number | null, error: string) =>
      finish(id, { status: 'failed', attempt, response_status: status, last_error: error, next_attempt_at: null }),
    retry: (id: string, attempt: number, status: number | null, error: string, at: number) =>
      finish(id, { attempt, response_status: status, last_error: error, next_attempt_at: iso(at) }),
    async disableEndpoint(id: string, reason: string): Promise<void> {
      await db.updateTable('webhook_endpoint').set({ enabled: 0, disabled_reason: reason, updated_at: nowIso() }).where('id', '=', id).execute();
    },
  };
}
