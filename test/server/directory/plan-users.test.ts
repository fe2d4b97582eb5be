import { afterEach, describe, expect, it } from 'vitest';
import { startSync, waitForRun, type RunView } from '../../../server/directory/index.js';
import { graphForTenant, type GraphClient, type PageOptions } from '../../../server/graph/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { numbered, NUMBERED_BY_ATTRIBUTE, saveSettings, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function connected(users: number, seed: number): Promise<World> {
  world = await startWorld({ emulator: { users, seed } });
  await world.connect();
  return world;
}

const enabledUsers = (w: World) => w.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.accountEnabled).map((u) => u.data.id);

/**
 * The tenant's client, whose users delta rounds end with one more page: `replay()`'s users, listed
 * again as Graph may list an object that changed while the round was paged.
 */
async function replaying(w: World, replay: () => Array<Record<string, unknown>>): Promise<GraphClient> {
  const graph = await graphForTenant({ store: w.server.store, config: w.server.ctx.config }, DEFAULT_TENANT);
  return {
    ...graph,
    async *delta<T>(path: string, options: PageOptions<T>) {
      yield* graph.delta(path, options);
      if (path.includes('/users/')) yield { items: replay().map((u) => options.item.parse(u)) };
    },
  };
}

async function syncThrough(w: World, graph: GraphClient, options: { pageSize?: number; chunkSize?: number } = {}): Promise<RunView> {
  const id = await startSync({ store: w.server.store, config: w.server.ctx.config }, DEFAULT_TENANT, { trigger: 'manual', graph, ...options });
  await waitForRun(w.server.store, id);
  return w.waitRun(id);
}

const userData = (w: World, id: string) => ({ ...w.emu.ops.user(id).data });
const removed = (id: string) => ({ id, '@removed': { reason: 'deleted' } });

describe('user planning', () => {
  it("gives a leaver's number and slot to new hires listed after the leaver in the same run", async () => {
    const w = await connected(12, 3);
    const [a, c, d] = enabledUsers(w);
    ['4711', '4712', '4713'].forEach((number, i) => w.emu.ops.updateUser([a, c, d][i]!, numbered(number)));
    await saveSettings(w, 'user-sync', { enabled: true, numbering: NUMBERED_BY_ATTRIBUTE, maxExtensions: 3 });
    expect((await w.byEntra()).size).toBe(3);

    // In this order in the delta round: each leaver before the new hire who needs what it frees.
    w.emu.ops.updateUser(a!, { accountEnabled: false });
    const b = w.emu.ops.createUser({ displayName: 'Takes Over 4711', ...numbered('4711') }).id;
    w.emu.ops.deleteUser(d!);
    const e = w.emu.ops.createUser({ displayName: 'Takes The Slot', ...numbered('4714') }).id;
    const run = await w.sync();
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 2, deleted: 2, skipped: 0 }, problems: [] });
    const after = await w.byEntra();
    expect([...after].map(([id, ext]) => [id, ext.number]).sort()).toEqual([[b, '4711'], [c, '4712'], [e, '4714']].sort());
  });

  it('lets the last listing of a user in a delta round decide: a user disabled then enabled again keeps its extension; a new user then deleted gets none', async () => {
    const w = await connected(20, 5);
    await saveSettings(w, 'user-sync', { enabled: true });
    const before = await w.byEntra();
    const back = [...before.keys()][0]!;
    w.emu.ops.updateUser(back, { accountEnabled: false });
    const gone = w.emu.ops.createUser({ displayName: 'Short Stay' }).id;
    // Both change again while the round is paged, and are listed once more (the new user twice in the last page).
    const graph = await replaying(w, () => {
      w.emu.ops.updateUser(back, { accountEnabled: true });
      const stay = userData(w, gone);
      w.emu.ops.deleteUser(gone, true);
      return [userData(w, back), stay, removed(gone)];
    });
    const run = await syncThrough(w, graph);
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 0, deleted: 0 } });
    const after = await w.byEntra();
    expect(after.get(back)).toMatchObject({ id: before.get(back)!.id, enabled: true });
    expect(after.has(gone)).toBe(false);
    expect(after.size).toBe(before.size);
    // The next run finds nothing left to do.
    expect((await w.sync()).counts).toMatchObject({ created: 0, updated: 0, deleted: 0 });
  });

  it.each([
    ['still waiting to be applied', undefined],
    ['already applied', 3],
  ])('lets the last listing decide in a first population, the earlier listing %s', async (_, chunkSize) => {
    const w = await connected(20, 5);
    // Saved while disabled: the first run is ours, with small pages (and batches).
    await w.server.admin('/api/v1/integration/disable', { method: 'POST', body: { deleteExtensions: false, deleteGroups: false } });
    await saveSettings(w, 'user-sync', { enabled: true });
    await w.server.admin('/api/v1/integration/enable', { method: 'POST' });
    const [gone, back] = enabledUsers(w);
    const graph = await replaying(w, () => {
      w.emu.ops.deleteUser(gone!, true);
      w.emu.ops.updateUser(back!, { jobTitle: 'Changed while paged' });
      return [removed(gone!), userData(w, back!)];
    });
    const run = await syncThrough(w, graph, { pageSize: 4, ...(chunkSize ? { chunkSize } : {}) });
    expect(run.status).toBe('succeeded');
    const after = await w.byEntra();
    expect(after.has(gone!)).toBe(false);
    expect(after.get(back!)?.jobTitle).toBe('Changed while paged');
    expect([...after.keys()].sort()).toEqual(enabledUsers(w).sort());
  });
});
