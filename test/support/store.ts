import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openStore, type Store } from '../../server/store/index.js';
import { jobsSchemaName } from '../../server/jobs/index.js';

/** PostgreSQL used by the `postgres` test project (trust auth on loopback, database `test`). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDialect = 'sqlite' | 'postgres';

export const testDialect = (): TestDialect => (process.env.UCBRIDGE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite');

export interface TestDatabase {
  dialect: TestDialect;
  dataDir: string;
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
  /** A fixed key so every test server can read the others' secrets. */
  secretKey: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a temporary SQLite directory, or a new PostgreSQL
 * schema. `drop()` removes it.
 */
export function createTestDatabase(dialect: TestDialect = testDialect()): TestDatabase {
  const dataDir = mkdtempSync(join(tmpdir(), 'ucbridge-test-'));
  const schema = dialect === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  return {
    dialect,
    dataDir,
    databaseUrl: dialect === 'postgres' ? TEST_DATABASE_URL : undefined,
    databaseSchema: schema,
    secretKey: randomBytes(32).toString('base64'),
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      if (!schema) return;
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        // The pg-boss runner keeps its tables in a schema beside the store's.
        for (const name of [schema, jobsSchemaName(schema)]) await client.query(`drop schema if exists ${name} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * For a test file that works on the store directly: opens a store on a fresh database before the
 * file's tests and drops it after. Read `.store` inside tests (it is set in beforeAll).
 */
export function useTestStore(): { readonly store: Store } {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    database = createTestDatabase();
    store = await openStore(database);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });
  return {
    get store() {
      if (!store) throw new Error('useTestStore: the store opens in beforeAll');
      return store;
    },
  };
}
