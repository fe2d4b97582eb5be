import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../server/store/index.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../../support/store.js';

describe.runIf(process.env.UCBRIDGE_TEST_DB === 'postgres')('one PostgreSQL database shared by several deployments', () => {
  it('opens (and migrates) while other deployments drop their schemas', async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const others = Array.from({ length: 40 }, () => `gone_${randomBytes(5).toString('hex')}`);
    for (const name of others) await admin.query(`create schema ${name}; create table ${name}.t (a int, b text, c text)`);
    let dropping = true;
    // Other deployments come and go meanwhile: their schemas vanish while ours migrates.
    const dropper = (async () => {
      for (const name of others) await admin.query(`drop schema ${name} cascade`);
      dropping = false;
    })();
    const opened: string[] = [];
    try {
      while (dropping) {
        const database = createTestDatabase();
        const store = await openStore(database);
        const first = await sql<{ name: string }>`select name from kysely_migration order by name limit 1`.execute(store.db);
        opened.push(first.rows[0]?.name ?? 'none');
        await store.close();
        await database.drop();
      }
    } finally {
      dropping = false;
      await dropper;
      await admin.end();
    }
    expect(opened.length).toBeGreaterThan(0);
    expect(new Set(opened)).toEqual(new Set(['001-initial']));
  });
});
