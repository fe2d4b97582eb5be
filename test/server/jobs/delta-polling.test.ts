import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsSchemaName, refreshChangeTracking } from '../../../server/jobs/index.js';
import { eventually, startChangeWorld, type ChangeWorld } from './support.js';

let world: ChangeWorld;
beforeAll(async () => {
  world = await startChangeWorld({ notifications: false, schedule: { pollSeconds: 5 } });
});
afterAll(async () => {
  await world.stop();
});

/** States of the delta jobs: in the store (embedded runner) or in pg-boss (PostgreSQL, where `created`/`retry` are queued). */
async function deltaJobs(): Promise<string[]> {
  const { store, database } = world.server;
  if (store.dialect === 'sqlite') {
    const rows = await store.db.selectFrom('job').select('state').where('name', '=', 'directory.delta-sync').where('state', 'in', ['queued', 'active']).execute();
    return rows.map((j) => j.state);
  }
  const table = sql.table(`${jobsSchemaName(database.databaseSchema)}.job`);
  const rows = await sql<{ state: string }>`select state from ${table} where name = 'directory.delta-sync' and state in ('created', 'retry', 'active')`.execute(store.db);
  return rows.rows.map((r) => (r.state === 'active' ? 'active' : 'queued'));
}

async function dropQueuedPolls(): Promise<void> {
  const { store, database } = world.server;
  if (store.dialect === 'sqlite') {
    await store.db.deleteFrom('job').where('name', '=', 'directory.delta-sync').where('state', '=', 'queued').execute();
    return;
  }
  const table = sql.table(`${jobsSchemaName(database.databaseSchema)}.job`);
  await sql`delete from ${table} where name = 'directory.delta-sync' and state in ('created', 'retry')`.execute(store.db);
}

describe('delta polling (no PUBLIC_URL)', () => {
  it('polls instead of subscribing', async () => {
    expect(world.emu.services.subscriptions.list(world.emu.clientId)).toEqual([]);
    expect(await world.server.store.db.selectFrom('graph_subscription').selectAll().execute()).toEqual([]);
    const status = await world.json<{ changeTracking: string; nextScheduledSync: string }>('/api/v1/settings/schedule/status');
    expect(status.body.changeTracking).toBe('polling');
    expect(Date.parse(status.body.nextScheduledSync)).toBeGreaterThan(Date.now());
  });

  it('turns a user created in Entra into an extension at the next poll', async () => {
    const created = Date.now();
    const user = world.emu.ops.createUser({ displayName: 'Paul Polled', givenName: 'Paul', surname: 'Polled' });
    const extension = await eventually(async () => (await world.extensions()).find((e) => e.entraObjectId === user.id), 30_000);
    expect(extension).toMatchObject({ displayName: 'Paul Polled', source: 'entra' });
    await world.idle();
    const runs = await world.runs();
    const change = runs.find((r) => r.trigger === 'change' && r.counts.created === 1);
    expect(change?.status).toBe('succeeded');
    expect(Date.parse(change?.startedAt ?? '')).toBeGreaterThanOrEqual(created);
  });

  it('keeps polling after a poll fails', async () => {
    const { store } = world.server;
    const tenant = () => store.db.updateTable('integration').where('tenant_id', '=', 'default');
    const { client_secret } = await store.db.selectFrom('integration').select('client_secret').where('tenant_id', '=', 'default').executeTakeFirstOrThrow();
    const failures = () => world.server.logs.filter((l) => l.includes('job failed') && l.includes('directory.delta-sync')).length;
    const before = failures();
    // A secret that no longer opens: the next poll fails before its run starts.
    await tenant().set({ client_secret: 'v1.gone.gone.gone.gone' }).execute();
    await eventually(() => Promise.resolve(failures() > before));
    await tenant().set({ client_secret }).execute();
    const user = world.emu.ops.createUser({ displayName: 'Fiona Failed', givenName: 'Fiona', surname: 'Failed' });
    await eventually(async () => (await world.extensions()).find((e) => e.entraObjectId === user.id));
  });

  it('queues a poll again at the next reconcile when none is queued', async () => {
    // Lose the queued poll (as when a job fails before queueing the next) while none runs.
    await eventually(async () => {
      await eventually(async () => !(await deltaJobs()).includes('active'));
      await dropQueuedPolls();
      return (await deltaJobs()).length === 0;
    });
    await refreshChangeTracking(world.server.store, 'default');
    expect(await deltaJobs()).toEqual(['queued']);
  });
});
