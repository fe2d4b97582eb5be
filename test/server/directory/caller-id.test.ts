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
/** What Entra says: Entra id → [first business phone, caller id expected with the switch on/off]. */
function expected(switchOn: boolean): Map<string, [string, string]> {
  const live = world.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.accountEnabled);
  return new Map(live.map((u) => [u.data.id, [u.data.businessPhones[0] ?? '', switchOn ? (u.data.businessPhones[0] ?? '') : '']]));
}

describe('business phone as caller id', () => {
  it('on: the caller id is the first business phone (empty without one) and follows changes in Entra', async () => {
    const run = await saveSettings(world, 'user-sync', { enabled: true, businessPhoneAsCallerId: true });
    expect(run?.status).toBe('succeeded');
    const synced = await phones();
    expect(synced).toEqual(expected(true));
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

  it('off: every caller id is cleared at the next sync; the business phone stays synced', async () => {
    await saveSettings(world, 'user-sync', { businessPhoneAsCallerId: false });
    expect((await world.sync()).status).toBe('succeeded');
    const synced = await phones();
    expect(synced).toEqual(expected(false));
    expect(synced.get(owner)).toEqual(['+1 425 555 0199', '']);

    await saveSettings(world, 'user-sync', { businessPhoneAsCallerId: true });
    await world.sync();
    expect(await phones()).toEqual(expected(true));
  });
});
