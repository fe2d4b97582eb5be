import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalExtension, GUARD_EVERY_DELETE, numbered, NUMBERED_BY_ATTRIBUTE, saveSettings, startWorld, syncHeldAndConfirm, type World } from './world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ emulator: { users: 12, seed: 17 } });
  await world.connect();
});
afterAll(() => world.stop());

describe('applying a plan', () => {
  it('keeps the number of a user renumbered in a held run when another extension took the new number meanwhile, and reports it', async () => {
    const [renumbered, leaver] = world.emu.state.directory.users.filter((u) => u.data.accountEnabled).map((u) => u.data.id);
    world.emu.ops.updateUser(renumbered!, numbered('4801'));
    world.emu.ops.updateUser(leaver!, numbered('4802'));
    await saveSettings(world, 'user-sync', { enabled: true, numbering: NUMBERED_BY_ATTRIBUTE, deletionGuard: GUARD_EVERY_DELETE });
    expect([...(await world.byEntra()).values()].map((e) => e.number).sort()).toEqual(['4801', '4802']);

    world.emu.ops.updateUser(renumbered!, numbered('4803'));
    world.emu.ops.deleteUser(leaver!, true);
    const done = await syncHeldAndConfirm(world, () => createLocalExtension(world, '4803'));
    expect(done).toMatchObject({ status: 'succeeded', error: null, counts: { deleted: 1, failed: 0 } });
    expect(done.problems.map((p) => `${p.objectId}: ${p.reason}`)).toEqual([`${renumbered}: number kept at 4801: number 4803 was taken while the sync ran`]);
    const after = await world.byEntra();
    expect(after.get(renumbered!)?.number).toBe('4801');
    expect(after.has(leaver!)).toBe(false);
  });
});
