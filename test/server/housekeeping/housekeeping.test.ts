import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getVisibility, setVisibility } from '../../../server/contacts/index.js';
import { addProblems, createRun } from '../../../server/directory/index.js';
import { housekeep } from '../../../server/housekeeping/index.js';
import { DEFAULT_TENANT, newId, openStore, tenantRepo, type Store } from '../../../server/store/index.js';
import { extensionRow } from '../../support/extension-row.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createTestDatabase, type TestDatabase } from '../../support/store.js';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * DAY_MS).toISOString();
const retention = (runDays: number, auditDays = 365, webhookLogDays = 30) => ({ runRetentionDays: runDays, auditRetentionDays: auditDays, webhookLogRetentionDays: webhookLogDays });

let database: TestDatabase;
let store: Store;

beforeAll(async () => {
  database = createTestDatabase();
  store = await openStore(database);
  await tenantRepo(store.db).ensure(DEFAULT_TENANT);
  await tenantRepo(store.db).ensure('other');
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

afterEach(async () => {
  await store.db.deleteFrom('sync_run').execute();
  await store.db.deleteFrom('session').execute();
  await store.db.deleteFrom('extension').execute();
  await store.db.deleteFrom('audit_log').execute();
  await store.db.deleteFrom('webhook_endpoint').execute();
  await store.db.deleteFrom('job').execute();
  await store.db.deleteFrom('phonebook').execute();
  await store.db.deleteFrom('extension_group').execute();
});

/** A run in the log that finished (or, for running and held ones, started) `days` ago. */
async function seedRun(days: number, status: 'succeeded' | 'failed' | 'running' | 'held', options: { tenantId?: string; kind?: string } = {}): Promise<string> {
  const id = await createRun(store.db, options.tenantId ?? DEFAULT_TENANT, 'schedule', options.kind);
  const at = daysAgo(days);
  const finished = status === 'succeeded' || status === 'failed';
  await store.db.updateTable('sync_run').set({ status, created_at: at, started_at: at, heartbeat_at: at, finished_at: finished ? at : null }).where('id', '=', id).execute();
  return id;
}

const runIds = async () => (await store.db.selectFrom('sync_run').select('id').execute()).map((r) => r.id).sort();

describe(`housekeeping on ${process.env.UCBRIDGE_TEST_DB ?? 'sqlite'}`, () => {
  it('prunes finished runs past the retention with their problems, keeping the newest outcome of each kind and every unfinished run', async () => {
    const recent = await seedRun(10, 'succeeded');
    const old = await Promise.all([200, 150, 120, 100].map((days) => seedRun(days, 'succeeded')));
    const lastFailure = await seedRun(95, 'failed');
    await seedRun(130, 'failed');
    const held = await seedRun(200, 'held');
    const running = await seedRun(180, 'running');
    const onlyContacts = await seedRun(300, 'succeeded', { kind: 'contacts' });
    const otherTenant = await seedRun(300, 'succeeded', { tenantId: 'other' });
    await addProblems(store.db, DEFAULT_TENANT, old[0] ?? '', [{ objectId: 'u1', name: 'User One', reason: 'no number', hint: 'set one' }]);

    const pruned = await housekeep({ store, config: retention(90) }, NOW);

    expect(pruned.runs).toBe(old.length + 1);
    expect(await runIds()).toEqual([recent, lastFailure, held, running, onlyContacts, otherTenant].sort());
    expect(await store.db.selectFrom('sync_problem').select('id').execute()).toEqual([]);
  });

  it('keeps a run finished within the retention, and the newest run even when it is past it', async () => {
    const newest = await seedRun(40, 'succeeded');
    await seedRun(45, 'succeeded');
    expect((await housekeep({ store, config: retention(60) }, NOW)).runs).toBe(0);
    expect((await housekeep({ store, config: retention(42) }, NOW)).runs).toBe(1);
    expect(await runIds()).toEqual([newest]);
    expect((await housekeep({ store, config: retention(1) }, NOW)).runs).toBe(0);
  });

  it('prunes a log larger than one delete batch completely', async () => {
    await store.db
      .insertInto('sync_run')
      .values(
        Array.from({ length: 450 }, (_, i) => ({
          id: newId(),
          tenant_id: DEFAULT_TENANT,
          kind: 'directory',
          trigger: 'schedule',
          status: 'succeeded',
          progress: '{}',
          counts: '{}',
          plan: null,
          error: null,
          created_at: daysAgo(100 + i),
          started_at: daysAgo(100 + i),
          finished_at: daysAgo(100 + i),
          heartbeat_at: null,
        })),
      )
      .execute();
    expect((await housekeep({ store, config: retention(90) }, NOW)).runs).toBe(449);
    expect(await store.db.selectFrom('sync_run').select('finished_at').execute()).toEqual([{ finished_at: daysAgo(100) }]);
  });

  it('deletes client sessions whose refresh token expired, live and revoked ones stay until then', async () => {
    const extension = extensionRow({ number: '2001' });
    await store.db.insertInto('extension').values(extension).execute();
    const session = (refreshExpiresAt: string, revoked: 'rotated' | 'logout' | null) => ({
      id: newId(),
      tenant_id: DEFAULT_TENANT,
      extension_id: extension.id,
      access_hash: newId(),
      refresh_hash: newId(),
      family_id: 'family',
      access_expires_at: daysAgo(31),
      refresh_expires_at: refreshExpiresAt,
      revoked_at: revoked ? daysAgo(31) : null,
      revoked_reason: revoked,
      created_at: daysAgo(31),
    });
    const live = session(daysAgo(-1), null);
    const loggedOut = session(daysAgo(-2), 'logout');
    await store.db.insertInto('session').values([session(daysAgo(1), 'rotated'), session(daysAgo(2), null), live, loggedOut]).execute();

    expect((await housekeep({ store, config: retention(90) }, NOW)).sessions).toBe(2);
    const left = await store.db.selectFrom('session').select('id').execute();
    expect(left.map((s) => s.id).sort()).toEqual([live.id, loggedOut.id].sort());
  });

  it('deletes audit entries older than AUDIT_RETENTION_DAYS', async () => {
    const entry = (days: number) => ({ id: newId(), tenant_id: DEFAULT_TENANT, actor: 'admin:ops', action: 'settings.update', target: '{}', details: '{}', ip: '', at: daysAgo(days) });
    await store.db.insertInto('audit_log').values([400, 366, 364, 10].map(entry)).execute();
    expect((await housekeep({ store, config: retention(90, 365) }, NOW)).auditEntries).toBe(2);
    const left = await store.db.selectFrom('audit_log').select('at').orderBy('at').execute();
    expect(left.map((e) => e.at)).toEqual([daysAgo(364), daysAgo(10)]);
  });

  it('deletes finished webhook deliveries older than WEBHOOK_LOG_RETENTION_DAYS; pending ones stay however old', async () => {
    const endpointId = newId();
    await store.db.insertInto('webhook_endpoint').values({ id: endpointId, tenant_id: DEFAULT_TENANT, url: 'https://pbx.example/hook', secret: 'sealed', events: '[]', enabled: 1, disabled_reason: null, created_at: daysAgo(100), updated_at: daysAgo(100) }).execute();
    const delivery = (status: 'pending' | 'succeeded' | 'failed', days: number) => ({
      id: newId(),
      tenant_id: DEFAULT_TENANT,
      endpoint_id: endpointId,
      event_type: 'extension.updated',
      payload: '{}',
      attempt: 1,
      status,
      next_attempt_at: status === 'pending' ? daysAgo(days) : null,
      response_status: null,
      last_error: null,
      created_at: daysAgo(days),
      updated_at: daysAgo(days),
    });
    const kept = [delivery('succeeded', 13), delivery('failed', 10), delivery('pending', 60)];
    await store.db.insertInto('webhook_delivery').values([delivery('succeeded', 15), delivery('failed', 40), ...kept]).execute();

    expect((await housekeep({ store, config: retention(90, 365, 14) }, NOW)).webhookDeliveries).toBe(2);
    const left = await store.db.selectFrom('webhook_delivery').select('id').execute();
    expect(left.map((d) => d.id).sort()).toEqual(kept.map((d) => d.id).sort());
  });

  it('drops company-phonebook grants whose extension or group was deleted; reads skip them until then', async () => {
    const kept = extensionRow({ number: '3001' });
    const gone = extensionRow({ number: '3002' });
    await store.db.insertInto('extension').values([kept, gone]).execute();
    const group = (name: string) => ({ id: newId(), tenant_id: DEFAULT_TENANT, name, source: 'local', entra_object_id: null, read_only: 0 as const, created_at: daysAgo(1), updated_at: daysAgo(1) });
    const [keptGroup, goneGroup] = [group('Sales'), group('Former team')];
    await store.db.insertInto('extension_group').values([keptGroup, goneGroup]).execute();
    const phonebookId = newId();
    await store.db.insertInto('phonebook').values({ id: phonebookId, tenant_id: DEFAULT_TENANT, kind: 'company', name: 'Suppliers', owner_extension_id: null, source_mailbox_id: null, source: 'local', read_only: 0, created_at: daysAgo(1), updated_at: daysAgo(1) }).execute();
    await setVisibility(store.db, DEFAULT_TENANT, phonebookId, { extensionIds: [kept.id, gone.id], groupIds: [keptGroup.id, goneGroup.id] });
    await store.db.deleteFrom('extension').where('id', '=', gone.id).execute();
    await store.db.deleteFrom('extension_group').where('id', '=', goneGroup.id).execute();

    const shown = await getVisibility(store.db, DEFAULT_TENANT, phonebookId);
    expect(shown).toEqual({ phonebookId, extensionIds: [kept.id], groupIds: [keptGroup.id] });
    // What the page reads back can be saved again as it is.
    await expect(setVisibility(store.db, DEFAULT_TENANT, phonebookId, shown)).resolves.toEqual(shown);
    await store.db.insertInto('phonebook_visibility').values({ tenant_id: DEFAULT_TENANT, phonebook_id: phonebookId, subject_kind: 'extension', subject_id: gone.id }).execute();

    expect((await housekeep({ store, config: retention(90) }, NOW)).orphanGrants).toBe(1);
    const left = await store.db.selectFrom('phonebook_visibility').select('subject_id').execute();
    expect(left.map((g) => g.subject_id).sort()).toEqual([kept.id, keptGroup.id].sort());
  });

  it("deletes the embedded queue's failed jobs after a week; queued and active jobs stay", async () => {
    const job = (state: 'queued' | 'active' | 'failed', days: number) => ({
      id: newId(),
      tenant_id: DEFAULT_TENANT,
      name: 'directory.sync',
      singleton_key: null,
      payload: '{}',
      state,
      run_at: daysAgo(days),
      attempt: 3,
      retry_limit: 3,
      last_error: state === 'failed' ? 'Graph unreachable' : null,
      created_at: daysAgo(days),
      started_at: null,
    });
    const kept = [job('failed', 6), job('queued', 30), job('active', 30)];
    await store.db.insertInto('job').values([job('failed', 8), job('failed', 30), ...kept]).execute();

    expect((await housekeep({ store, config: retention(90) }, NOW)).failedJobs).toBe(2);
    const left = await store.db.selectFrom('job').select('id').execute();
    expect(left.map((j) => j.id).sort()).toEqual(kept.map((j) => j.id).sort());
  });
});

describe('housekeeping service', () => {
  let server: TestServer | undefined;
  afterAll(async () => server?.stop());

  it('prunes on start with the configured RUN_RETENTION_DAYS, and logs what it deleted', async () => {
    const seeded = createTestDatabase();
    const seedStore = await openStore(seeded);
    await tenantRepo(seedStore.db).ensure(DEFAULT_TENANT);
    const ids: string[] = [];
    for (const days of [5, 20, 40]) {
      const id = await createRun(seedStore.db, DEFAULT_TENANT, 'schedule');
      const at = new Date(Date.now() - days * DAY_MS).toISOString();
      await seedStore.db.updateTable('sync_run').set({ status: 'succeeded', finished_at: at, created_at: at }).where('id', '=', id).execute();
      ids.push(id);
    }
    await seedStore.close();

    server = await startTestServer({ runRetentionDays: 10 }, seeded);
    await expect.poll(async () => (await server?.store.db.selectFrom('sync_run').select('id').execute())?.map((r) => r.id)).toEqual([ids[0]]);
    await expect.poll(() => server?.logs.some((line) => line.includes('housekeeping: expired records deleted') && line.includes('"runs":2'))).toBe(true);
    await server.stop();
    await seeded.drop();
    server = undefined;
  });
});
