import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/index.js';
import type { PlanOp, Wait } from './plan-items.js';

/**
 * Parked users: skipped for want of a number or of room under maxExtensions. Users delta lists a
 * user again only when the user changes, so without this a user skipped because a leaver's number
 * or slot was freed later in the same run would wait for the next full run; incremental runs look
 * parked users up again once what they wait for may be there (plan-unlisted.ts).
 */
export type Parked = Map<string, Wait>;

/** Parked users when the run starts, in a stable order (the first ones get freed slots first). */
export async function loadParked(db: Kysely<Database>, tenantId: string): Promise<Parked> {
  const rows = await db.selectFrom('sync_parked_user').select(['entra_object_id', 'waits_for', 'number']).where('tenant_id', '=', tenantId).orderBy('entra_object_id').execute();
  return new Map(rows.map((r) => [r.entra_object_id, r.waits_for === 'capacity' ? { waitsFor: 'capacity', number: null } : { waitsFor: 'number', number: r.number }]));
}

/** The step that takes a user from its parking at the start of the run to `wait` (none when unchanged). */
export function parkingOp(entraId: string, before: Wait | undefined, wait: Wait | undefined): PlanOp | undefined {
  if (wait) return before?.waitsFor === wait.waitsFor && before.number === wait.number ? undefined : { op: 'park', entraId, ...wait };
  return before ? { op: 'unpark', entraId } : undefined;
}

type Trx = Transaction<Database>;

/** Parks users (or parks them again, waiting for something else), many per statement. */
export async function parkUsers(trx: Trx, tenantId: string, users: Array<{ entraId: string } & Wait>): Promise<void> {
  // One row per user: PostgreSQL refuses to update a row twice in one statement.
  const rows = [...new Map(users.map((u) => [u.entraId, { tenant_id: tenantId, entra_object_id: u.entraId, waits_for: u.waitsFor, number: u.number }])).values()];
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('sync_parked_user')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['tenant_id', 'entra_object_id']).doUpdateSet((eb) => ({ waits_for: eb.ref('excluded.waits_for'), number: eb.ref('excluded.number') })))
      .execute();
  }
}

/** The parking steps of an apply chunk, in bulk: each user has one (its last listing's) at most. */
export async function applyParking(trx: Trx, tenantId: string, ops: readonly PlanOp[]): Promise<void> {
  await parkUsers(trx, tenantId, ops.flatMap((op) => (op.op === 'park' ? [op] : [])));
  const unparked = ops.flatMap((op) => (op.op === 'unpark' ? [op.entraId] : []));
  for (let i = 0; i < unparked.length; i += 500) {
    await trx.deleteFrom('sync_parked_user').where('tenant_id', '=', tenantId).where('entra_object_id', 'in', unparked.slice(i, i + 500)).execute();
  }
}
