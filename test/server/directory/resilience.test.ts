import { afterEach, describe, expect, it } from 'vitest';
import { startSync, waitForRun, type ExtensionView, type RunView } from '../../../server/directory/index.js';
import { configureGraphClients } from '../../../server/graph/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { FAST_RETRY, leaveRunAsKilled, saveSettings, startRunKilledAfter, startWorld, type World } from './world.js';

let world: World | undefined;
const extra: TestServer[] = [];
afterEach(async () => {
  for (const s of extra.splice(0)) await s.stop();
  await world?.stop();
  world = undefined;
});

/** The directory as the PBX sees it, without our own ids. */
const snapshot = (all: ExtensionView[]) =>
  all
    .map(({ id: _id, ...rest }) => rest)
    .sort((a, b) => (a.entraObjectId ?? '').localeCompare(b.entraObjectId ?? ''));

const SETTINGS = { enabled: true, numbering: { kind: 'auto', start: '3000' } };

describe('faults', () => {
  it('429 storms, 5xx bursts and connection resets end in the same directory as a fault-free run', async () => {
    world = await startWorld({ emulator: { users: 120, seed: 5 } });
    await world.connect();
    await saveSettings(world, 'user-sync', SETTINGS);
    await saveSettings(world, 'group-sync', { enabled: true });
    const clean = snapshot(await world.extensions());

    // A second server (own database) syncs the same tenant through faults.
    const faulty = await startTestServer({ graphCaFile: world.emu.caFile });
    extra.push(faulty);
    configureGraphClients(faulty.store, FAST_RETRY);
    const put = (path: string, body: unknown) => faulty.admin(path, { method: 'PUT', body });
    const { emu } = world;
    expect((await put('/api/v1/integration', { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph })).status).toBe(200);
    // Saved while the integration is disabled, so no run starts before the faults are set.
    await faulty.admin('/api/v1/integration/disable', { method: 'POST', body: { deleteExtensions: false, deleteGroups: false } });
    await put('/api/v1/settings/user-sync', SETTINGS);
    await put('/api/v1/settings/group-sync', { enabled: true });
    await faulty.admin('/api/v1/integration/enable', { method: 'POST' });
    const ctx = { store: faulty.store, config: faulty.ctx.config };
    const run = async (full: boolean) => {
      const id = await startSync(ctx, DEFAULT_TENANT, { trigger: 'manual', full, pageSize: 10 });
      await waitForRun(faulty.store, id);
    };
    emu.ops.setFaults({ rate429: 0.3, retryAfter: 1 });
    await run(true);
    expect(emu.services.faults.injected).toBeGreaterThan(3);
    emu.ops.setFaults({ rate5xx: 1, status5xx: 503, count: 4 });
    await run(true);
    expect(emu.services.faults.injected).toBe(4);
    emu.ops.setFaults({ resetRate: 0.3, count: 3 });
    await run(true);
    emu.ops.clearFaults();

    const runs = (await (await faulty.admin('/api/v1/sync-runs')).json()) as { items: RunView[] };
    expect(runs.items.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const all = ((await (await faulty.admin('/api/v1/extensions?limit=1000')).json()) as { items: ExtensionView[] }).items;
    expect(snapshot(all)).toEqual(clean);
    const groupNames = async (s: { admin: TestServer['admin'] }) =>
      (((await (await s.admin('/api/v1/extension-groups?limit=1000')).json()) as { items: Array<{ name: string; memberIds: string[] }> }).items.map((g) => `${g.name}:${g.memberIds.length}`));
    expect(await groupNames(faulty)).toEqual(await groupNames(world.server));
  });
});

describe('interrupted runs', () => {
  const leaveAsKilled = (runId: string) => leaveRunAsKilled(world!, runId);
  const startKilledRun = (after: number, options: { chunkSize?: number; pageSize?: number }) => startRunKilledAfter(world!, after, options);

  it('a first sync killed midway leaves whole pages; the restarted server starts a run that completes it', async () => {
    world = await startWorld({ emulator: { users: 60, seed: 9 } });
    await world.connect();
    // Settings saved while disconnected from runs, so that our own run is the first one.
    await world.server.admin('/api/v1/integration/disable', { method: 'POST', body: { deleteExtensions: false, deleteGroups: false } });
    await saveSettings(world, 'user-sync', SETTINGS);
    await world.server.admin('/api/v1/integration/enable', { method: 'POST' });
    const runId = await startKilledRun(20, { pageSize: 10 });
    const killed = (await world.json<RunView>(`/api/v1/sync-runs/${runId}`)).body;
    const partial = await world.extensions();
    // Applied page by page: what the run recorded is exactly what is there.
    expect(partial.length).toBeGreaterThanOrEqual(20);
    expect(partial.length).toBe(killed.progress.applied);
    expect(killed.counts.created).toBe(partial.length);
    await leaveAsKilled(runId);

    await world.restart();
    const expected = world.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.accountEnabled).length;
    const finished = await expect
      .poll(async () => (await world!.json<{ items: RunView[] }>('/api/v1/sync-runs')).body.items)
      .toSatisfy((runs: RunView[]) => runs.some((r) => r.id !== runId && r.status === 'succeeded'))
      .then(() => world!.json<{ items: RunView[] }>('/api/v1/sync-runs'));
    const [completing, interrupted] = finished.body.items;
    expect(interrupted).toMatchObject({ id: runId, status: 'failed', error: expect.stringContaining('Interrupted after') as unknown });
    expect(completing).toMatchObject({ trigger: 'initial', status: 'succeeded', counts: { created: expected - partial.length, deleted: 0 } });
    const all = await world.extensions();
    expect(all.length).toBe(expected);
    expect(new Set(all.map((e) => e.number)).size).toBe(expected);
    expect((await world.sync()).counts).toEqual({ created: 0, updated: 0, deleted: 0, skipped: 0, failed: 0 });
  });

  it('a run killed mid-apply of its plan leaves a consistent directory; the restarted server finishes that run', async () => {
    world = await startWorld({ emulator: { users: 60, seed: 9 } });
    await world.connect();
    await saveSettings(world, 'user-sync', SETTINGS);
    const renamed = [...(await world.byEntra()).keys()].slice(0, 30);
    for (const id of renamed) world.emu.ops.updateUser(id, { jobTitle: 'Renamed while killed' });
    const runId = await startKilledRun(14, { chunkSize: 7 });
    const titles = async () => (await world!.extensions()).filter((e) => e.jobTitle === 'Renamed while killed').length;
    expect(await titles()).toBe(14);
    await leaveAsKilled(runId);

    await world.restart();
    const run = await expect.poll(async () => (await world!.json<RunView>(`/api/v1/sync-runs/${runId}`)).body.status).toBe('succeeded').then(() => world!.json<RunView>(`/api/v1/sync-runs/${runId}`));
    expect(run.body.counts.updated).toBe(30);
    expect(run.body.progress.applied).toBe(run.body.progress.planned);
    expect(await titles()).toBe(30);
    // The delta link was saved only when the run finished: the next run is incremental and idle.
    expect((await world.sync()).counts).toEqual({ created: 0, updated: 0, deleted: 0, skipped: 0, failed: 0 });
  });
});

describe('deletion guard', () => {
  it('holds a run deleting more than max(10, 10 %) of synced extensions until confirmed', async () => {
    world = await startWorld({ emulator: { users: 50, seed: 13 } });
    await world.connect();
    await saveSettings(world, 'user-sync', SETTINGS);
    const before = await world.byEntra();
    const victims = [...before.keys()].slice(0, 12);
    for (const id of victims) world.emu.ops.deleteUser(id, true);

    const held = await world.sync();
    expect(held.status).toBe('held');
    expect(held.guard).toEqual({ deletes: 12, limit: 10 });
    expect((await world.byEntra()).size).toBe(before.size);
    const blocked = await world.json<{ error: { code: string } }>('/api/v1/sync-runs', { method: 'POST' });
    expect(blocked.body.error.code).toBe('sync_run_held');

    const confirmed = await world.json<RunView>(`/api/v1/sync-runs/${held.id}/confirm`, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    const done = await world.waitRun(held.id);
    expect(done).toMatchObject({ status: 'succeeded', counts: { deleted: 12 } });
    const after = await world.byEntra();
    expect(after.size).toBe(before.size - 12);
    for (const id of victims) expect(after.has(id)).toBe(false);
    expect((await world.json<{ error: { code: string } }>(`/api/v1/sync-runs/${held.id}/confirm`, { method: 'POST' })).body.error.code).toBe('sync_run_not_held');
  });
});
