import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun } from '../../../server/directory/index.js';
import { DEFAULT_TENANT, openStore } from '../../../server/store/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/store.js';
import { OPERATOR, startInstance, type Instance } from './instances.js';

type Run = { id: string; status: string; counts: Record<string, number> };
type Extension = { entraObjectId: string | null; number: string; displayName: string; email: string | null };

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function runs(instance: Instance): Promise<Run[]> {
  return (await instance.call('/api/v1/sync-runs?limit=100')).body.items as Run[];
}

const settled = (instance: Instance, timeoutMs = 150_000) =>
  until(async () => {
    const all = await runs(instance);
    return all.length > 0 && all.every((r) => r.status !== 'running' && r.status !== 'queued') ? all : undefined;
  }, 'the sync runs to finish', timeoutMs);

/** What a sync produced, independent of ids and timing. */
async function directory(instance: Instance): Promise<string[]> {
  const items = (await instance.call('/api/v1/extensions?limit=1000')).body.items as Extension[];
  return items.map((e) => `${e.entraObjectId ?? '-'} ${e.number} ${e.displayName} ${e.email ?? '-'}`).sort();
}

async function connectAndEnable(instance: Instance, emu: Emulator): Promise<void> {
  const put = await instance.call('/api/v1/integration', {
    method: 'PUT',
    body: { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph },
  });
  expect(put.status).toBe(200);
  // Saving with `?sync=…` is not needed: enabling user sync starts the initial run.
  expect((await instance.call('/api/v1/settings/user-sync', { method: 'PUT', body: { enabled: true } })).status).toBe(200);
}

describe.runIf(process.env.UCBRIDGE_TEST_DB === 'postgres')('two ucbridge processes on one PostgreSQL', () => {
  let emu: Emulator;
  const databases: TestDatabase[] = [];
  const instances: Instance[] = [];

  async function pair(): Promise<[Instance, Instance, TestDatabase]> {
    const database = createTestDatabase();
    databases.push(database);
    // Heartbeats every 2 s: a killed instance's run is stale after 8 s instead of a minute.
    const env = { GRAPH_CA_FILE: emu.caFile, RUN_HEARTBEAT_SECONDS: '2' };
    const a = await startInstance(database, env);
    const b = await startInstance(database, env);
    instances.push(a, b);
    return [a, b, database];
  }

  beforeAll(async () => {
    emu = await startEmulator({ users: 60, seed: 11 });
  });
  afterAll(async () => {
    for (const i of instances) await i.stop();
    for (const d of databases) await d.drop();
    await emu.close();
  });

  it('answers two simultaneous "sync now" requests on different instances with one run and one queued behind it', async () => {
    const [a, b] = await pair();
    await connectAndEnable(a, emu);
    await settled(a);
    const before = (await runs(b)).length;
    // Graph slowed down: a run with nothing to change would otherwise end before the other
    // instance (whose first call still fetches a token) gets to claim, and both would rightly start one.
    emu.ops.setFaults({ latencyMs: 400 });
    const [ra, rb] = await Promise.all([a.call('/api/v1/sync-runs', { method: 'POST' }), b.call('/api/v1/sync-runs', { method: 'POST' })]);
    expect([ra.status, rb.status]).toEqual([202, 202]);
    const ids = [String(ra.body.id), String(rb.body.id)];
    expect(new Set(ids).size).toBe(2);
    const statuses = await Promise.all(ids.map(async (id) => (await a.call(`/api/v1/sync-runs/${id}`)).body.status as string));
    expect(statuses.sort()).toEqual(['queued', 'running']);
    emu.ops.clearFaults();
    const all = await settled(b);
    expect(all.length).toBe(before + 2);
    // Never two at once: the queued run started after the other one had finished.
    const [second, first] = all.slice(0, 2) as Array<Run & { startedAt: string; finishedAt: string; status: string }>;
    expect([first?.status, second?.status]).toEqual(['succeeded', 'succeeded']);
    expect(Date.parse(second?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(first?.finishedAt ?? ''));
  }, 180_000);

  it('starts a queued run whose process died before it could start it', async () => {
    const [a, b, database] = await pair();
    await connectAndEnable(a, emu);
    await settled(a);
    // The run slot is free and nobody is left to start the queued run: an instance's check for abandoned runs does.
    const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, databaseSchema: database.databaseSchema, secretKey: database.secretKey });
    try {
      const id = await createRun(store.db, DEFAULT_TENANT, 'manual', 'directory', { full: false });
      const run = await until(async () => {
        const found = (await b.call(`/api/v1/sync-runs/${id}`)).body as Run;
        return found.status === 'queued' || found.status === 'running' ? undefined : found;
      }, 'the queued run to be started', 60_000);
      expect(run.status).toBe('succeeded');
    } finally {
      await store.close();
    }
  }, 120_000);

  it('finishes on the other instance a sync whose process was killed midway, with the result of an uninterrupted run', async () => {
    // The reference: the same directory synced without interruption in its own schema.
    const [ref] = await pair();
    await connectAndEnable(ref, emu);
    await settled(ref);
    const expected = await directory(ref);
    expect(expected.length).toBeGreaterThan(40); // the seeded users minus disabled ones

    const [a, b] = await pair();
    emu.ops.setFaults({ latencyMs: 500 }); // slow Graph down so the kill lands mid-run
    try {
      await connectAndEnable(a, emu);
      await until(async () => ((await runs(a)).some((r) => r.status === 'running') ? true : undefined), 'a run to start on a');
      await a.kill();
    } finally {
      emu.ops.setFaults({});
    }
    const interrupted = (await runs(b)).find((r) => r.status === 'running');
    expect(interrupted).toBeDefined();
    // Nobody asks b: it notices the dead run's stale heartbeat (a live run keeps it fresh) at its
    // next check and queues the tenant's sync, which resumes or re-plans the interrupted run.
    const all = await settled(b, 240_000);
    expect(all.every((r) => r.status === 'succeeded' || r.status === 'failed')).toBe(true);
    expect(all[0]?.status).toBe('succeeded');
    expect(await directory(b)).toEqual(expected);
  }, 400_000);

  it('keeps tenants apart across instances: created on one, served by the other', async () => {
    const [a, b] = await pair();
    const created = await a.call('/api/v1/tenants', { body: { id: 'pbx-one', name: 'PBX one' }, token: OPERATOR });
    expect(created.status).toBe(201);
    const token = String(created.body.adminToken);
    const local = await b.call('/api/v1/extensions', { body: { number: '3001', firstName: 'Only', lastName: 'One' }, token });
    expect(local.status).toBe(201);
    const id = String(local.body.id);
    expect(((await a.call('/api/v1/extensions', { token })).body.items as Extension[]).map((e) => e.number)).toEqual(['3001']);
    // The default tenant sees none of it, on either instance.
    expect((await a.call(`/api/v1/extensions/${id}`)).status).toBe(404);
    expect((await b.call('/api/v1/extensions')).body.items).toEqual([]);
    expect(((await b.call('/api/v1/tenants', { token: OPERATOR })).body.items as Array<{ id: string }>).map((t) => t.id)).toEqual(['default', 'pbx-one']);
  }, 120_000);
});
