import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { lockUntilCommit, openStore, type Store } from '../../../server/store/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/store.js';

/** Whether `work` is still pending after `ms` (it waits on a lock the test holds). */
async function pendingAfter(work: Promise<unknown>, ms: number): Promise<boolean> {
  const late = Symbol('pending');
  const first = await Promise.race([work, new Promise((resolve) => setTimeout(() => resolve(late), ms))]);
  return first === late;
}

describe.runIf(process.env.UCBRIDGE_TEST_DB === 'postgres')('locks held until commit (PostgreSQL advisory locks)', () => {
  const databases: TestDatabase[] = [];
  const stores: Store[] = [];
  let mine: Store;
  let sameSchema: Store;
  let otherSchema: Store;

  beforeAll(async () => {
    const [a, b] = [createTestDatabase(), createTestDatabase()];
    databases.push(a, b);
    // Two instances of one deployment (one schema), and a second deployment in the same database.
    for (const database of [a, a, b]) stores.push(await openStore(database));
    [mine, sameSchema, otherSchema] = stores as [Store, Store, Store];
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const database of databases) await database.drop();
  });

  it('makes another instance of the deployment wait for the key, and not another deployment', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = mine.db.transaction().execute(async (trx) => {
      await lockUntilCommit(trx, 'sync:default');
      locked();
      await held;
    });
    await isLocked;
    const lockIn = (store: Store) => store.db.transaction().execute((trx) => lockUntilCommit(trx, 'sync:default'));

    // Another deployment in the same database takes the same key at once.
    expect(await pendingAfter(lockIn(otherSchema), 2_000)).toBe(false);
    // The same deployment's other instance waits until the holder commits.
    const waiting = lockIn(sameSchema);
    expect(await pendingAfter(waiting, 500)).toBe(true);
    release();
    await holder;
    expect(await pendingAfter(waiting, 2_000)).toBe(false);
  });

  it('has the server notice a vanished client within about a minute, so its locks do not outlive it', async () => {
    const { rows } = await sql<{ idle: string; interval: string; count: string }>`
      select current_setting('tcp_keepalives_idle') as idle, current_setting('tcp_keepalives_interval') as interval,
             current_setting('tcp_keepalives_count') as count`.execute(mine.db);
    expect(rows[0]).toEqual({ idle: '30', interval: '10', count: '3' });
  });
});
