import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TENANT, openStore, tenantRepo, type Store } from '../../../server/store/index.js';
import { BackgroundCheckpoints } from '../../../server/store/sqlite-checkpoints.js';
import { WRITER_CHECKPOINT_PAGES } from '../../../server/store/sqlite-driver.js';
import { testDialect } from '../../support/store.js';

/** Rows of the tenant table in the database file alone, as if the WAL beside it were lost. */
function tenantsInDatabaseFile(dataDir: string): string[] {
  const copyDir = mkdtempSync(join(tmpdir(), 'ucbridge-ckpt-copy-'));
  try {
    const copy = join(copyDir, 'copy.db');
    copyFileSync(join(dataDir, 'ucbridge.db'), copy);
    const db = new SqliteDatabase(copy, { readonly: true });
    try {
      return (db.prepare('select id from tenant order by id').all() as Array<{ id: string }>).map((r) => r.id);
    } finally {
      db.close();
    }
  } finally {
    rmSync(copyDir, { recursive: true, force: true });
  }
}

describe.runIf(testDialect() === 'sqlite')('SQLite checkpoints on a background thread', () => {
  const dirs: string[] = [];
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed writes into the database file long before the writer would checkpoint', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ucbridge-ckpt-'));
    dirs.push(dataDir);
    store = await openStore({ dataDir });
    const writer = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
    // The writer's own checkpoint waits for 64 MB of WAL; these writes are a few pages.
    expect(writer.rows[0]?.wal_autocheckpoint).toBe(WRITER_CHECKPOINT_PAGES);

    await tenantRepo(store.db).ensure(DEFAULT_TENANT);
    await tenantRepo(store.db).ensure('second-tenant');
    // The WAL holds the rows at once; the worker copies them back within its interval.
    await vi.waitFor(() => expect(tenantsInDatabaseFile(dataDir)).toEqual([DEFAULT_TENANT, 'second-tenant'].sort()), { timeout: 5000, interval: 100 });
  });

  it('reports a worker that cannot open the database, once', async () => {
    const failures: string[] = [];
    const checkpoints = BackgroundCheckpoints.start(join(tmpdir(), 'ucbridge-no-such-dir', 'none', 'x.db'), (message) => failures.push(message));
    await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 5000, interval: 50 });
    checkpoints.wrote();
    checkpoints.wrote();
    await checkpoints.close();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/directory|open/i);
  });
});
