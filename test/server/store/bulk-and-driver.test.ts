import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT, insertIgnoringConflicts, newId, tenantRepo } from '../../../server/store/index.js';
import { testDialect, useTestStore } from '../../support/store.js';

const ctx = useTestStore();

const membership = (group: string, member: string) => ({ tenant_id: DEFAULT_TENANT, group_id: group, member_id: member, member_kind: 'user' });

describe(`bulk inserts and the connection on ${testDialect()}`, () => {
  it('inserts many rows, skips those that conflict, and tells which went in', async () => {
    const db = ctx.store.db;
    await tenantRepo(db).ensure(DEFAULT_TENANT);
    await insertIgnoringConflicts(db, 'entra_membership', [membership('g1', 'u0')], 'member_id');
    // Many rows, with one that is already there.
    const rows = Array.from({ length: 1_200 }, (_, i) => membership('g1', `u${i}`));
    const inserted = await insertIgnoringConflicts(db, 'entra_membership', rows, 'member_id');
    expect(inserted.size).toBe(1_199);
    expect(inserted.has('u0')).toBe(false);
    expect(inserted.has('u1199')).toBe(true);
    const stored = await db.selectFrom('entra_membership').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', 'g1').executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(1_200);
    expect(await insertIgnoringConflicts(db, 'entra_membership', [], 'member_id')).toEqual(new Set());
  });

  it('stores every value as given: quotes, backslashes, non-Latin text, nulls and integers', async () => {
    const db = ctx.store.db;
    await tenantRepo(db).ensure(DEFAULT_TENANT);
    const now = new Date().toISOString();
    const names = ['O\'Brien "Bob"', 'back\\slash\\n', 'Zoë 山田 🚀', '{"json":[1,2]}', ''];
    const rows = names.map((name, i) => ({
      id: newId(),
      tenant_id: DEFAULT_TENANT,
      number: `9${i}0`,
      display_name: name,
      source: 'entra',
      entra_object_id: `bulk-${i}`,
      user_principal_name: i % 2 === 0 ? null : `u${i}@contoso.com`,
      read_only: i % 2,
      created_at: now,
      updated_at: now,
    }));
    const inserted = await insertIgnoringConflicts(db, 'extension', rows, 'entra_object_id');
    expect([...inserted].sort()).toEqual(rows.map((r) => r.entra_object_id).sort());
    const stored = await db.selectFrom('extension').select(['display_name', 'user_principal_name', 'read_only', 'locked_fields', 'enabled']).where('number', 'like', '9_0').orderBy('number').execute();
    expect(stored).toEqual(rows.map((r) => ({ display_name: r.display_name, user_principal_name: r.user_principal_name, read_only: r.read_only, locked_fields: '[]', enabled: 1 })));
  });

  it('rolls a failed transaction back whole, bulk rows included, and reports the database error', async () => {
    const db = ctx.store.db;
    const failing = db.transaction().execute(async (trx) => {
      await insertIgnoringConflicts(trx, 'entra_membership', [membership('g2', 'a'), membership('g2', 'b')], 'member_id');
      await trx.insertInto('tenant').values({ id: DEFAULT_TENANT, name: 'again', created_at: new Date().toISOString() }).execute();
    });
    await expect(failing).rejects.toThrow(/unique|duplicate/i);
    const left = await db.selectFrom('entra_membership').select('member_id').where('group_id', '=', 'g2').execute();
    expect(left).toEqual([]);
  });

  it.runIf(testDialect() === 'sqlite')('runs the transactions of concurrent callers one at a time on the one connection', async () => {
    const db = ctx.store.db;
    const counter = `c_${newId().replace(/-/g, '')}`;
    await sql`create table ${sql.id(counter)} (n integer not null)`.execute(db);
    await sql`insert into ${sql.id(counter)} (n) values (0)`.execute(db);
    // Read-modify-write in 20 concurrent transactions: serialised, no update is lost.
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          const row = await sql<{ n: number }>`select n from ${sql.id(counter)}`.execute(trx);
          await sql`update ${sql.id(counter)} set n = ${Number(row.rows[0]?.n) + 1}`.execute(trx);
        }),
      ),
    );
    const total = await sql<{ n: number }>`select n from ${sql.id(counter)}`.execute(db);
    expect(Number(total.rows[0]?.n)).toBe(20);
  });
});
