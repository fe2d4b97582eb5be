import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminTokenRepo,
  auditRepo,
  createSecretBox,
  integrationRepo,
  openStore,
  settingsRepo,
  tenantRepo,
  type Store,
} from '../../../server/store/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/store.js';

let database: TestDatabase;
let store: Store;

beforeAll(async () => {
  database = createTestDatabase();
  store = await openStore(database);
  await tenantRepo(store.db).ensure('t1');
  await tenantRepo(store.db).ensure('t2');
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

describe(`store on ${process.env.UCBRIDGE_TEST_DB ?? 'sqlite'}`, () => {
  it('creates every domain table with a tenant_id column', async () => {
    // On PostgreSQL the introspection sees every schema of the database: keep this test's own.
    const tables = (await store.db.introspection.getTables()).filter(
      (t) => !database.databaseSchema || t.schema === database.databaseSchema,
    );
    const names = tables.map((t) => t.name).filter((n) => !n.startsWith('kysely_'));
    expect(names).toEqual(
      expect.arrayContaining(['integration', 'settings', 'extension', 'extension_group', 'phonebook', 'contact', 'sync_run', 'session', 'audit_log', 'webhook_endpoint', 'webhook_delivery']),
    );
    for (const table of tables.filter((t) => !t.name.startsWith('kysely_') && t.name !== 'tenant')) {
      expect(table.columns.map((c) => c.name), table.name).toContain('tenant_id');
    }
  });

  it('runs migrations idempotently when opened again', async () => {
    const again = await openStore(database);
    await again.close();
    const row = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(store.db);
    expect(Number(row.rows[0]?.n)).toBeGreaterThan(0);
  });

  it('keeps admin tokens only as hashes and verifies them', async () => {
    const tokens = adminTokenRepo(store.db);
    await tokens.add('t1', 'a-very-secret-admin-token-value', 'ops');
    expect(await tokens.verify('a-very-secret-admin-token-value')).toEqual({ tenantId: 't1', label: 'ops' });
    expect(await tokens.verify('wrong')).toBeUndefined();
    const stored = await store.db.selectFrom('admin_token').select('token_hash').execute();
    expect(JSON.stringify(stored)).not.toContain('a-very-secret-admin-token-value');
  });

  it('stores settings per tenant and kind', async () => {
    const settings = settingsRepo(store.db);
    await settings.put('t1', 'user-sync', 1, { enabled: true });
    await settings.put('t1', 'user-sync', 2, { enabled: false });
    expect(await settings.get('t1', 'user-sync')).toEqual({ version: 2, value: { enabled: false } });
    expect(await settings.get('t2', 'user-sync')).toBeUndefined();
  });

  it('pages the audit log newest first without skipping equal timestamps', async () => {
    const audit = auditRepo(store.db);
    for (let i = 0; i < 5; i++) await audit.record({ tenantId: 't2', actor: 'admin:x', action: `a${i}`, target: '' });
    const first = await audit.list('t2', { limit: 3 });
    const last = first[2];
    expect(last).toBeDefined();
    const rest = await audit.list('t2', { limit: 10, before: [last?.at ?? '', last?.id ?? ''] });
    const actions = [...first, ...rest].map((e) => e.action).sort();
    expect(actions).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(await audit.list('t1', { limit: 10 })).toEqual([]);
  });

  it('seals secrets so the database never holds them in clear', async () => {
    const sealed = store.secrets.seal('client-secret-value', 'integration.client_secret:t1');
    await integrationRepo(store.db).upsert({
      tenant_id: 't1',
      entra_tenant_id: 'tid',
      client_id: 'cid',
      client_secret: sealed,
      pending_client_secret: null,
      secret_hint: 'lue',
      secret_expires_at: null,
      status: 'connected',
      authority_host: 'https://login.microsoftonline.com',
      graph_endpoint: 'https://graph.microsoft.com',
      permissions: '[]',
      last_tested_at: null,
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    });
    const row = await integrationRepo(store.db).get('t1');
    expect(row?.client_secret).not.toContain('client-secret-value');
    expect(store.secrets.open(row?.client_secret ?? '', 'integration.client_secret:t1')).toBe('client-secret-value');
    expect(() => store.secrets.open(row?.client_secret ?? '', 'integration.client_secret:t2')).toThrow(/integrity/);
  });
});

describe('secret box', () => {
  it('rotates keys: new values use the first key, old values still open', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealedWithOld = createSecretBox([oldKey]).seal('s3cret');
    const rotated = createSecretBox([newKey, oldKey]);
    expect(rotated.open(sealedWithOld)).toBe('s3cret');
    expect(rotated.seal('x').split('.')[1]).toBe(rotated.currentKeyId);
    expect(() => createSecretBox([newKey]).open(sealedWithOld)).toThrow(/cannot be decrypted/);
  });

  it.runIf(process.env.UCBRIDGE_TEST_DB !== 'postgres')('creates a 0600 key file on first start without a configured key', async () => {
    const db = createTestDatabase('sqlite');
    const s = await openStore({ dataDir: db.dataDir });
    await s.close();
    expect(statSync(join(db.dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    await db.drop();
  });

  it('requires a shared key on PostgreSQL', async () => {
    await expect(openStore({ dataDir: '/tmp', databaseUrl: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(
      /UCBRIDGE_SECRET_KEY is required/,
    );
  });
});
