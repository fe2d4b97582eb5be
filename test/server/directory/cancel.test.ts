import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelRun, confirmRun, type RunView } from '../../../server/directory/index.js';
import { adminTokenRepo, DEFAULT_TENANT, tenantRepo } from '../../../server/store/index.js';
import { saveSettings, startWorld, type World } from './world.js';

/** POST /api/v1/sync-runs/{id}/cancel: drops a run the deletion guard holds (SPEC §8). */
let world: World;
let initialRunId = '';
beforeAll(async () => {
  world = await startWorld({ emulator: { users: 50, seed: 13 } });
  await world.connect();
  initialRunId = (await saveSettings(world, 'user-sync', { enabled: true, numbering: { kind: 'auto', start: '3000' } }))!.id;
});
afterAll(() => world.stop());

type Answer = RunView & { error: { code: string; message: string } };
const cancel = (id: string, headers: Record<string, string> = {}) => world.server.admin(`/api/v1/sync-runs/${id}/cancel`, { method: 'POST', headers });
const answer = async (res: Response) => ({ status: res.status, body: (await res.json()) as Answer });
const cancelled = async (id: string) => answer(await cancel(id));
const planItems = async (runId: string) => (await world.server.store.db.selectFrom('sync_plan_item').select('seq').where('run_id', '=', runId).execute()).length;
const heldRun = async (deletes: number) => {
  const run = await world.sync();
  expect(run).toMatchObject({ status: 'held', guard: { deletes, limit: 10 } });
  expect(await planItems(run.id)).toBeGreaterThanOrEqual(deletes);
  return run;
};

describe('cancelling a held run', () => {
  it('fails the run with the reason and drops its plan; nothing is deleted and the next sync plans again', async () => {
    const before = await world.byEntra();
    // Soft deletes, so some users can come back: 12 deletions are more than max(10, 10 % of 50).
    const victims = [...before.keys()].slice(0, 12);
    for (const id of victims) world.emu.ops.deleteUser(id);

    const held = await heldRun(12);
    const res = await cancelled(held.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: held.id, status: 'failed', error: 'Cancelled by an admin.', counts: { deleted: 0 } });
    expect(res.body.finishedAt).not.toBeNull();
    expect((await world.json<RunView>(`/api/v1/sync-runs/${held.id}`)).body).toEqual(res.body);
    expect(await planItems(held.id)).toBe(0);
    expect(await world.byEntra()).toEqual(before);

    // The deletions are still there: the next run is held again; once some users are back, it goes through.
    const again = await heldRun(12);
    expect((await cancelled(again.id)).body.status).toBe('failed');
    for (const id of victims.slice(0, 4)) world.emu.ops.restoreUser(id);
    const through = await world.sync();
    expect(through).toMatchObject({ status: 'succeeded', guard: null, counts: { deleted: 8 } });
    const after = await world.byEntra();
    expect([...before.keys()].filter((id) => !after.has(id))).toEqual(victims.slice(4));
  });

  it('answers sync_run_not_held (409) for a run that is not held, and not_found for an unknown run or one of another tenant', async () => {
    for (const id of [initialRunId, (await world.sync()).id]) {
      const res = await cancelled(id);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('sync_run_not_held');
      expect((await world.json<RunView>(`/api/v1/sync-runs/${id}`)).body).toMatchObject({ status: 'succeeded', error: null });
    }
    const unknown = await cancelled('0190f2c4-0000-7000-8000-000000000000');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);

    const victims = [...(await world.byEntra()).keys()].slice(0, 11);
    for (const id of victims) world.emu.ops.deleteUser(id);
    const held = await heldRun(11);
    await tenantRepo(world.server.store.db).ensure('other-pbx', 'Other PBX');
    await adminTokenRepo(world.server.store.db).add('other-pbx', 'other-pbx-admin-token-0123456789', 'other');
    const foreign = await answer(await cancel(held.id, { authorization: 'Bearer other-pbx-admin-token-0123456789' }));
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    expect((await world.json<RunView>(`/api/v1/sync-runs/${held.id}`)).body.status).toBe('held');
    expect(await planItems(held.id)).toBeGreaterThanOrEqual(11);
  });

  it('lets one of two admins win when they confirm and cancel, or confirm twice, at the same moment', async () => {
    const ctx = world.server.ctx;
    const settled = (results: Array<PromiseSettledResult<RunView>>) =>
      results.map((r) => (r.status === 'fulfilled' ? 'done' : (r.reason as { code?: string }).code)).sort();
    // The run the previous test left held (11 deletions): a confirm and a cancel race (both read it held first).
    const runs = (await world.json<{ items: RunView[] }>('/api/v1/sync-runs?limit=5')).body.items;
    const held = runs.find((r) => r.status === 'held');
    if (!held) throw new Error('no held run');
    const raced = await Promise.allSettled([confirmRun(ctx, DEFAULT_TENANT, held.id), cancelRun(ctx, DEFAULT_TENANT, held.id)]);
    expect(settled(raced)).toEqual(['done', 'sync_run_not_held']);
    const first = await world.waitRun(held.id);
    expect(first.status).toBe(raced[0].status === 'fulfilled' ? 'succeeded' : 'failed');

    // Two confirms: one applies the plan, once. (A cancel that won left its 11 deletions pending.)
    const pending = first.status === 'succeeded' ? 0 : 11;
    const synced = [...(await world.byEntra()).keys()].filter((id) => world.emu.state.directory.findUser(id)?.deletedAt === null);
    for (const id of synced.slice(0, 11)) world.emu.ops.deleteUser(id);
    const again = await heldRun(11 + pending);
    const twice = await Promise.allSettled([confirmRun(ctx, DEFAULT_TENANT, again.id), confirmRun(ctx, DEFAULT_TENANT, again.id)]);
    expect(settled(twice)).toEqual(['done', 'sync_run_not_held']);
    expect(await world.waitRun(again.id)).toMatchObject({ status: 'succeeded', counts: { deleted: 11 + pending } });
  });
});
