import { afterEach, describe, expect, it } from 'vitest';
import { createRun, type RunView } from '../../../server/directory/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { saveSettings, startWorld, type World } from './world.js';

/** A run asked for while another runs waits as `queued` and starts when the slot is free (SPEC §2: one run per tenant at a time). */
let world: World | undefined;
afterEach(async () => {
  world?.emu.ops.clearFaults();
  await world?.stop();
  world = undefined;
});

async function syncedWorld(): Promise<World> {
  const w = await startWorld({ emulator: { users: 30, seed: 21 } });
  world = w;
  await w.connect();
  await saveSettings(w, 'user-sync', { enabled: true, numbering: { kind: 'auto', start: '4000' } });
  return w;
}

const run = async (w: World, id: string) => (await w.json<RunView>(`/api/v1/sync-runs/${id}`)).body;
const post = (w: World, body?: { full?: boolean }) => w.json<{ id: string }>('/api/v1/sync-runs', { method: 'POST', ...(body ? { body } : {}) });
const runs = async (w: World) => (await w.json<{ items: RunView[] }>('/api/v1/sync-runs?limit=100')).body.items;

/** Starts a run that Graph's latency keeps going for a few seconds. */
async function slowRun(w: World): Promise<string> {
  w.emu.ops.setFaults({ latencyMs: 1000 });
  const started = await post(w, { full: false });
  expect(started.status).toBe(202);
  expect((await run(w, started.body.id)).status).toBe('running');
  return started.body.id;
}

describe('queued sync runs', () => {
  it('queues a request made during a run, joins later ones to it, and starts it when the run ends', async () => {
    const w = await syncedWorld();
    const first = await slowRun(w);
    const queued = await post(w);
    expect(queued.status).toBe(202);
    expect(queued.body.id).not.toBe(first);
    expect(await run(w, queued.body.id)).toMatchObject({ status: 'queued', trigger: 'manual', startedAt: null, finishedAt: null });
    // A second request joins the waiting run (asking for a full round makes it one).
    const again = await post(w, { full: true });
    expect(again).toEqual({ status: 202, body: { id: queued.body.id } });
    w.emu.ops.clearFaults();

    const done = await w.waitRun(queued.body.id);
    const before = await run(w, first);
    expect(before.status).toBe('succeeded');
    expect(done.status).toBe('succeeded');
    // One run at a time: the queued one started once the first had finished.
    expect(Date.parse(done.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(before.finishedAt ?? ''));
    const plan = await w.server.store.db.selectFrom('sync_run').select('plan').where('id', '=', queued.body.id).executeTakeFirstOrThrow();
    expect(JSON.parse(plan.plan ?? '{}')).toMatchObject({ full: true, mode: 'full' });
    expect((await runs(w)).filter((r) => r.status === 'queued')).toEqual([]);
  });

  it('queues the run that enabling a sync starts while another runs', async () => {
    const w = await syncedWorld();
    const first = await slowRun(w);
    const res = await w.server.admin('/api/v1/settings/group-sync', { method: 'PUT', body: { enabled: true } });
    expect(res.status).toBe(200);
    const followUp = res.headers.get('x-sync-run-id') ?? '';
    expect(followUp).not.toBe(first);
    expect((await run(w, followUp)).status).toBe('queued');
    w.emu.ops.clearFaults();
    expect((await w.waitRun(followUp)).status).toBe('succeeded');
    const groups = await w.json<{ items: unknown[] }>('/api/v1/extension-groups?limit=100');
    expect(groups.body.items.length).toBeGreaterThan(0);
  });

  it('drops a queued run an admin cancels: the running one ends and nothing starts after it', async () => {
    const w = await syncedWorld();
    const first = await slowRun(w);
    const queued = (await post(w)).body.id;
    const cancelled = await w.json<RunView>(`/api/v1/sync-runs/${queued}/cancel`, { method: 'POST' });
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'failed', error: 'Cancelled by an admin.', startedAt: null } });
    w.emu.ops.clearFaults();
    expect((await w.waitRun(first)).status).toBe('succeeded');
    await new Promise((r) => setTimeout(r, 200));
    expect((await runs(w)).filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([]);
    expect((await run(w, queued)).status).toBe('failed');
  });

  it('ends the running and the queued run when the sync is paused, and when the integration is disabled', async () => {
    const w = await syncedWorld();
    // Sync switched off while the run goes: neither run has anything left to do.
    let first = await slowRun(w);
    let queued = (await post(w)).body.id;
    await saveSettings(w, 'user-sync', { enabled: false });
    w.emu.ops.clearFaults();
    expect(await w.waitRun(first)).toMatchObject({ status: 'failed', error: 'User sync was paused.' });
    expect(await w.waitRun(queued)).toMatchObject({ status: 'failed', error: 'User sync was paused.', startedAt: null });

    await saveSettings(w, 'user-sync', { enabled: true });
    first = await slowRun(w);
    queued = (await post(w)).body.id;
    const disabled = await w.json('/api/v1/integration/disable', { method: 'POST', body: { deleteExtensions: false, deleteGroups: false } });
    expect(disabled.status).toBe(200);
    w.emu.ops.clearFaults();
    expect(await w.waitRun(queued)).toMatchObject({ status: 'failed', error: 'The integration was disabled.' });
    expect((await w.waitRun(first)).status).toBe('failed');
  });

  it('keeps a queued run over a restart and starts it then', async () => {
    const w = await syncedWorld();
    await slowRun(w);
    let queued = (await post(w)).body.id;
    await w.restart();
    w.emu.ops.clearFaults();
    expect((await w.waitRun(queued)).status).toBe('succeeded');
    expect((await runs(w)).filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([]);

    // A process that died between the end of its run and the start of the queued one left only the queued run.
    queued = await createRun(w.server.store.db, DEFAULT_TENANT, 'manual', 'directory', { full: false });
    await w.restart();
    expect((await w.waitRun(queued)).status).toBe('succeeded');
  });

  it('waits behind a run the deletion guard holds, and starts once an admin decides on it', async () => {
    const w = await syncedWorld();
    for (const id of [...(await w.byEntra()).keys()].slice(0, 12)) w.emu.ops.deleteUser(id);
    const first = await slowRun(w);
    const queued = (await post(w)).body.id;
    w.emu.ops.clearFaults();
    expect((await w.waitRun(first)).status).toBe('held');
    await new Promise((r) => setTimeout(r, 200));
    expect((await run(w, queued)).status).toBe('queued');
    // Dropped: the queued run plans again, and is held for the same deletions.
    expect((await w.json<RunView>(`/api/v1/sync-runs/${first}/cancel`, { method: 'POST' })).body.status).toBe('failed');
    expect(await w.waitRun(queued)).toMatchObject({ status: 'held', guard: { deletes: 12 } });
  });

  it('a rule change during a run makes the next run a full one: the running run does not save its delta link over the change', async () => {
    const w = await syncedWorld();
    const guests = w.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.userType === 'Guest').map((u) => u.data.id);
    expect(guests.length).toBeGreaterThan(0);
    const first = await slowRun(w);
    // Members only: guests leave the scope (deleted at the next sync, the default).
    await saveSettings(w, 'user-sync', { scope: { kind: 'userType', userTypes: ['Member'] } });
    w.emu.ops.clearFaults();
    expect((await w.waitRun(first)).status).toBe('succeeded');
    expect((await w.sync()).status).toBe('succeeded');
    const synced = await w.byEntra();
    expect(guests.filter((id) => synced.has(id))).toEqual([]);
  });

  it('pausing user sync with delete during a run ends the run first, so it re-creates nothing; resuming syncs everyone again', async () => {
    const w = await syncedWorld();
    const before = (await w.byEntra()).size;
    // A full run: it would update every user if it went on.
    w.emu.ops.setFaults({ latencyMs: 1000 });
    const running = (await post(w, { full: true })).body.id;
    await saveSettings(w, 'user-sync', { enabled: false }, '?onDisable=delete');
    w.emu.ops.clearFaults();
    expect(await w.waitRun(running)).toMatchObject({ status: 'failed', error: 'User sync was paused.' });
    expect((await w.byEntra()).size).toBe(0);
    const resumed = await saveSettings(w, 'user-sync', { enabled: true });
    expect(resumed?.status).toBe('succeeded');
    expect((await w.byEntra()).size).toBe(before);
  });

  it('still refuses a request while a run is held by the deletion guard', async () => {
    const w = await syncedWorld();
    const users = [...(await w.byEntra()).keys()].slice(0, 12);
    for (const id of users) w.emu.ops.deleteUser(id);
    const held = await w.sync();
    expect(held.status).toBe('held');
    const refused = await w.json<{ error: { code: string } }>('/api/v1/sync-runs', { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('sync_run_held');
  });
});
