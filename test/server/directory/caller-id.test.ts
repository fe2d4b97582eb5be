import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSettings, startWorld, type World } from './world.js';

/** SPEC §2, optional synced field: the business phone as the extension's outbound caller id (user sync `businessPhoneAsCallerId`). */
let world: World;
let owner = '';
let phoneless = '';
let formatted = '';
let unreadable = '';
beforeAll(async () => {
  world = await startWorld({ emulator: { users: 20, seed: 17 } });
  await world.connect();
  owner = world.emu.ops.createUser({ displayName: 'Phone Owner', accountEnabled: true, businessPhones: ['+1 425 555 0100'] }).id;
  phoneless = world.emu.ops.createUser({ displayName: 'No Phone', accountEnabled: true, businessPhones: [] }).id;
  formatted = world.emu.ops.createUser({ displayName: 'Formatted Phone', accountEnabled: true, businessPhones: ['tel:+1 (425) 555-0142 ext. 23'] }).id;
  unreadable = world.emu.ops.createUser({ displayName: 'Unreadable Phone', accountEnabled: true, businessPhones: ['ask reception'] }).id;
});
afterAll(() => world.stop());

/** Every synced extension: Entra id → [business phone, caller id]. */
async function phones(): Promise<Map<string, [string, string]>> {
  return new Map([...(await world.byEntra())].map(([id, e]) => [id, [e.businessPhone, e.callerId]]));
}
/**
 * What Entra says with the switch on: Entra id → [first business phone, caller id]. The seed writes
 * dialable phones as '+1 425 555 0123' (and a few as 'tbd', 'n/a', …): their caller id is the
 * digits; the two written here are known.
 */
function expected(): Map<string, [string, string]> {
  const live = world.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.accountEnabled);
  const known = new Map([[formatted, '+14255550142'], [unreadable, '']]);
  const callerId = (id: string, phone: string) => known.get(id) ?? (/^\+1 425 555 \d{4}$/.test(phone) ? phone.replaceAll(' ', '') : '');
  return new Map(live.map((u) => [u.data.id, [u.data.businessPhones[0] ?? '', callerId(u.data.id, u.data.businessPhones[0] ?? '')]]));
}

describe('business phone as caller id', () => {
  it('on: the caller id is the first business phone as a trunk sends it (empty without one) and follows changes in Entra', async () => {
    const run = await saveSettings(world, 'user-sync', { enabled: true, businessPhoneAsCallerId: true });
    expect(run?.status).toBe('succeeded');
    const synced = await phones();
    expect(synced).toEqual(expected());
    expect(synced.get(owner)).toEqual(['+1 425 555 0100', '+14255550100']);
    expect(synced.get(formatted)).toEqual(['tel:+1 (425) 555-0142 ext. 23', '+14255550142']);
    expect(synced.get(phoneless)).toEqual(['', '']);
    expect([...synced.values()].filter(([, callerId]) => callerId !== '').length).toBeGreaterThan(10);
    // A business phone that is no number: synced without a caller id, reported, not counted as skipped.
    expect(synced.get(unreadable)).toEqual(['ask reception', '']);
    const reported = run?.problems.filter((p) => p.reason.startsWith('caller id left empty')) ?? [];
    expect(reported.map((p) => p.objectId)).toContain(unreadable);
    expect(reported.find((p) => p.objectId === unreadable)?.hint).toMatch(/business phone .* as digits with an optional leading \+/);
    expect(run?.counts.skipped).toBe((run?.problems.length ?? 0) - reported.length);

    // The sync owns the caller id now: a local change would be undone, so it is refused like the other synced fields.
    const extension = (await world.byEntra()).get(owner);
    expect(extension?.lockedFields).toContain('callerId');
    const refused = await world.json<{ error: { code: string; details: { hint: string; fields: Array<{ path: string; message: string }> } } }>(`/api/v1/extensions/${extension?.id}`, { method: 'PATCH', body: { callerId: '+1 425 555 0999' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('extension_field_locked');
    expect(refused.body.error.details.fields.map((f) => f.path)).toEqual(['body.callerId']);
    expect(refused.body.error.details.fields[0]?.message).toMatch(/businessPhoneAsCallerId/);
    expect(refused.body.error.details.hint).toMatch(/switch businessPhoneAsCallerId off/);

    world.emu.ops.updateUser(owner, { businessPhones: ['+1 425 555 0199', '+1 425 555 0200'] });
    world.emu.ops.updateUser(phoneless, { businessPhones: ['+1 425 555 0300'] });
    expect((await world.sync()).counts.updated).toBe(2);
    const after = await phones();
    expect(after.get(owner)).toEqual(['+1 425 555 0199', '+14255550199']);
    expect(after.get(phoneless)).toEqual(['+1 425 555 0300', '+14255550300']);
  });

  it("off: the caller id is the admin's; syncs leave it alone while the business phone stays synced; on again takes it back", async () => {
    await saveSettings(world, 'user-sync', { enabled: true, businessPhoneAsCallerId: false });
    // Unlocked by the save itself, not at the next run.
    const extension = (await world.byEntra()).get(owner);
    expect(extension?.lockedFields).not.toContain('callerId');
    const patched = await world.json<{ callerId: string }>(`/api/v1/extensions/${extension?.id}`, { method: 'PATCH', body: { callerId: '+1 425 555 0999' } });
    expect(patched.status).toBe(200);
    expect(patched.body.callerId).toBe('+14255550999');
    world.emu.ops.updateUser(owner, { businessPhones: ['+1 425 555 0111'] });
    expect((await world.sync()).status).toBe('succeeded');
    expect((await world.sync({ full: true })).status).toBe('succeeded');
    const synced = await phones();
    expect(synced.get(owner)).toEqual(['+1 425 555 0111', '+14255550999']);
    // Caller ids copied while the switch was on stay as they were.
    expect(synced.get(phoneless)).toEqual(['+1 425 555 0300', '+14255550300']);
    // A user created while it is off starts without one.
    const newcomer = world.emu.ops.createUser({ displayName: 'Late Joiner', accountEnabled: true, businessPhones: ['+1 425 555 0400'] }).id;
    await world.sync();
    expect((await phones()).get(newcomer)).toEqual(['+1 425 555 0400', '']);

    await saveSettings(world, 'user-sync', { enabled: true, businessPhoneAsCallerId: true });
    expect((await world.byEntra()).get(newcomer)?.lockedFields).toContain('callerId');
    await world.sync();
    expect(await phones()).toEqual(expected());
  });
});

describe('caller id set by the admin', () => {
  it('takes a phone number in any common writing and stores it as the trunk sends it; anything else is refused, naming the field', async () => {
    const created = await world.json<{ id: string; callerId: string }>('/api/v1/extensions', { method: 'POST', body: { number: '7001', firstName: 'Front', callerId: '(030) 1234-567' } });
    expect(created.status).toBe(201);
    expect(created.body.callerId).toBe('0301234567');
    for (const callerId of ['call me', '+', '12', '+49 30 1234 5678 9012 3456 7']) {
      const refused = await world.json<{ error: { code: string; message: string } }>(`/api/v1/extensions/${created.body.id}`, { method: 'PATCH', body: { callerId } });
      expect(refused.status, callerId).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.message).toMatch(/callerId.*must be a phone number/);
    }
    const cleared = await world.json<{ callerId: string }>(`/api/v1/extensions/${created.body.id}`, { method: 'PATCH', body: { callerId: '' } });
    expect(cleared.body.callerId).toBe('');
  });
});
