import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSettings, startWorld, type World } from './world.js';

/** SPEC §2, optional synced field: the business phone as the extension's outbound caller id (user sync `businessPhoneAsCallerId`). */
let world: World;
let owner = '';
let phoneless = '';
beforeAll(async () => {
  world = await startWorld({ emulator: { users: 20, seed: 17 } });
  await world.connect();
  owner = world.emu.ops.createUser({ displayName: 'Phone Owner', accountEnabled: true, businessPhones: ['+1 425 555 0100'] }).id;
  phoneless = world.emu.ops.createUser({ displayName: 'No Phone', accountEnabled: true, businessPhones: [] }).id;
});
afterAll(() => world.stop());

/** Every synced extension: Entra id → [business phone, caller id]. */
async function phones(): Promise<Map<string, [string, string]>> {
  return new Map([...(await world.byEntra())].map(([id, e]) => [id, [e.businessPhone, e.callerId]]));
}
/** What Entra says with the switch on: Entra id → [first business phone, the same as caller id]. */
function expected(): Map<string, [string, string]> {
  const live = world.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.accountEnabled);
  return new Map(live.map((u) => [u.data.id, [u.data.businessPhones[0] ?? '', u.data.businessPhones[0] ?? '']]));
}

describe('business phone as caller id', () => {
  it('on: the caller id is the first business phone (empty without one) and follows changes in Entra', async () => {
    const run = await saveSettings(world, 'user-sync', { enabled: true, businessPhoneAsCallerId: true });
    expect(run?.status).toBe('succeeded');
    const synced = await phones();
    expect(synced).toEqual(expected());
    expect(synced.get(owner)).toEqual(['+1 425 555 0100', '+1 425 555 0100']);
    expect(synced.get(phoneless)).toEqual(['', '']);
    expect([...synced.values()].filter(([, callerId]) => callerId !== '').length).toBeGreaterThan(10);

    world.emu.ops.updateUser(owner, { businessPhones: ['+1 425 555 0199', '+1 425 555 0200'] });
    world.emu.ops.updateUser(phoneless, { businessPhones: ['+1 425 555 0300'] });
    expect((await world.sync()).counts.updated).toBe(2);
    const after = await phones();
    expect(after.get(owner)).toEqual(['+1 425 555 0199', '+1 425 555 0199']);
    expect(after.get(phoneless)).toEqual(['+1 425 555 0300', '+1 425 555 0300']);
  });

  it("off: the caller id is the admin's; syncs leave it alone while the business phone stays synced; on again takes it back", async () => {
    await saveSettings(world, 'user-sync', { enabled: true, businessPhoneAsCallerId: false });
    const extension = (await world.byEntra()).get(owner);
    const patched = await world.json(`/api/v1/extensions/${extension?.id}`, { method: 'PATCH', body: { callerId: '+1 425 555 0999' } });
    expect(patched.status).toBe(200);
    world.emu.ops.updateUser(owner, { businessPhones: ['+1 425 555 0111'] });
    expect((await world.sync()).status).toBe('succeeded');
    expect((await world.sync({ full: true })).status).toBe('succeeded');
    const synced = await phones();
    expect(synced.get(owner)).toEqual(['+1 425 555 0111', '+1 425 555 0999']);
    // Caller ids copied while the switch was on stay as they were.
    expect(synced.get(phoneless)).toEqual(['+1 425 555 0300', '+1 425 555 0300']);
    // A user created while it is off starts without one.
    const newcomer = world.emu.ops.createUser({ displayName: 'Late Joiner', accountEnabled: true, businessPhones: ['+1 425 555 0400'] }).id;
    await world.sync();
    expect((await phones()).get(newcomer)).toEqual(['+1 425 555 0400', '']);

    await saveSettings(world, 'user-sync', { enabled: true, businessPhoneAsCallerId: true });
    await world.sync();
    expect(await phones()).toEqual(expected());
  });
});
