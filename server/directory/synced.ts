import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** Extensions currently linked to Entra users (capacity, deletion guard). */
export async function countSynced(db: Kysely<Database>, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('extension')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('entra_object_id', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Extensions that must go at the end of a run: synced ones not handled by this run. */
export async function* syncedNotSeen(db: Kysely<Database>, tenantId: string, seen: Set<string>) {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('extension')
      .select(['id', 'entra_object_id', 'number', 'display_name', 'enabled'])
      .where('tenant_id', '=', tenantId)
      .where('entra_object_id', 'is not', null)
      .where('entra_object_id', '>', after)
      .orderBy('entra_object_id')
      .limit(2000)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.entra_object_id ?? after;
    yield rows.filter((r) => r.entra_object_id !== null && !seen.has(r.entra_object_id));
  }
}
