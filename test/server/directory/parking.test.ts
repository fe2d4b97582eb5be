import { afterEach, describe, expect, it } from 'vitest';
import type { RunView } from '../../../server/directory/index.js';
import { createLocalExtension, GUARD_EVERY_DELETE, numbered, NUMBERED_BY_ATTRIBUTE, saveSettings, startWorld, syncHeldAndConfirm, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

/** A directory whose first enabled users are given `numbers` and synced (no other user has a number), with `settings`. */
async function synced(numbers: string[], settings: Record<string, unknown> = {}): Promise<{ w: World; users: string[] }> {
  const w = await startWorld({ emulator: { users: 12, seed: 3 } });
  world = w;
  await w.connect();
  const users = w.emu.state.directory.users.filter((u) => u.data.accountEnabled).map((u) => u.data.id).slice(0, numbers.length);
  users.forEach((id, i) => w.emu.ops.updateUser(id, numbered(numbers[i]!)));
  await saveSettings(w, 'user-sync', { enabled: true, numbering: NUMBERED_BY_ATTRIBUTE, ...settings });
  expect([...(await w.byEntra()).values()].map((e) => e.number).sort()).toEqual(numbers);
  return { w, users };
}

const hire = (w: World, displayName: string, number: string) => w.emu.ops.createUser({ displayName, ...numbered(number) }).id;
const reasons = (run: RunView) => run.problems.map((p) => `${p.objectId}: ${p.reason}`);
/** Whether the run looked the user up (parked users are read by id, in $batch). */
const lookedUp = (w: World, id: string) => w.emu.ops.requests({ path: `/v1.0/users/${id}` }).length > 0;

describe('parked users', () => {
  it('a new hire whose number is taken is looked up again only once the number is free: in the run that frees it', async () => {
    const { w, users } = await synced(['4711']);
    const newHire = hire(w, 'Wants 4711', '4711');
    const skipped = await w.sync();
    expect(skipped.counts).toMatchObject({ created: 0, skipped: 1 });
    expect(reasons(skipped)).toEqual([`${newHire}: number 4711 is already used by another extension`]);

    w.emu.ops.clearRequests();
    expect((await w.sync()).counts).toMatchObject({ created: 0, skipped: 0 });
    expect(lookedUp(w, newHire)).toBe(false);

    // The leaver's delete frees 4711 in this run's plan, ahead of the new hire's create.
    w.emu.ops.updateUser(users[0]!, { accountEnabled: false });
    const freed = await w.sync();
    expect(freed).toMatchObject({ status: 'succeeded', counts: { created: 1, deleted: 1, skipped: 0 }, problems: [] });
    expect((await w.byEntra()).get(newHire)?.number).toBe('4711');
    w.emu.ops.clearRequests();
    expect((await w.sync()).counts).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(lookedUp(w, newHire)).toBe(false);
  });

  it('new hires over the extension limit get slots freed later: those parked before the run in that run, the others in the next', async () => {
    const { w, users } = await synced(['4711', '4712', '4713'], { maxExtensions: 3 });
    const first = hire(w, 'Parked First', '4721');
    expect(reasons(await w.sync())).toEqual([`${first}: the extension limit (3) is reached`]);
    w.emu.ops.clearRequests();
    expect((await w.sync()).counts).toMatchObject({ created: 0, skipped: 0 });
    expect(lookedUp(w, first)).toBe(false);

    // Listed before the two leavers: no slot yet when it is planned.
    const second = hire(w, 'Parked Second', '4722');
    w.emu.ops.updateUser(users[0]!, { accountEnabled: false });
    w.emu.ops.deleteUser(users[2]!);
    const freeing = await w.sync();
    expect(freeing.counts).toMatchObject({ created: 1, deleted: 2, skipped: 1 });
    expect(reasons(freeing)).toEqual([`${second}: the extension limit (3) is reached`]);
    expect((await w.byEntra()).has(first)).toBe(true);

    // No change in Entra ID: the slot left is the second one's.
    expect((await w.sync()).counts).toMatchObject({ created: 1, skipped: 0 });
    expect([...(await w.byEntra()).values()].map((e) => e.number).sort()).toEqual(['4712', '4721', '4722']);
  });

  it('a full round forgets parked users it does not list any more', async () => {
    const { w } = await synced(['4711'], { maxExtensions: 1 });
    const gone = hire(w, 'Leaves Before Getting In', '4741');
    await w.sync();
    const parked = () => w.server.store.db.selectFrom('sync_parked_user').select(['entra_object_id', 'waits_for']).execute();
    expect(await parked()).toEqual([{ entra_object_id: gone, waits_for: 'capacity' }]);
    w.emu.ops.deleteUser(gone, true);
    await w.sync({ full: true });
    expect(await parked()).toEqual([]);
  });

  it('a new hire whose number a local extension took while its run was held is created once the number is free', async () => {
    const { w, users } = await synced(['4731', '4732'], { deletionGuard: GUARD_EVERY_DELETE });
    const newHire = hire(w, 'Held Hire', '4733');
    w.emu.ops.deleteUser(users[1]!, true);
    let local = '';
    const done = await syncHeldAndConfirm(w, async () => {
      local = await createLocalExtension(w, '4733');
    });
    expect(done).toMatchObject({ status: 'succeeded', counts: { created: 0, deleted: 1, failed: 1 } });
    expect(reasons(done)).toEqual([`${newHire}: number 4733 was taken while the sync ran`]);

    expect((await w.json(`/api/v1/extensions/${local}`, { method: 'DELETE' })).status).toBe(204);
    expect((await w.sync()).counts).toMatchObject({ created: 1, skipped: 0 });
    expect((await w.byEntra()).get(newHire)?.number).toBe('4733');
  });
});
