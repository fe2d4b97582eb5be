import { afterEach, describe, expect, it } from 'vitest';
import type { ExtensionView } from '../../../server/directory/index.js';
import { saveSettings, startWorld, type World } from './world.js';

/**
 * SPEC §2: a synced extension's fields other than the five locked ones may change locally. A sync
 * keeps such a change (it used to undo it at the next run) until the value changes in Entra ID.
 */
let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function syncedWorld(numbering: unknown): Promise<World> {
  const w = await startWorld({ emulator: { users: 12, seed: 31 } });
  world = w;
  await w.connect();
  const run = await saveSettings(w, 'user-sync', { enabled: true, numbering });
  expect(run?.status).toBe('succeeded');
  return w;
}

const patch = (w: World, id: string, body: object) => w.json<ExtensionView>(`/api/v1/extensions/${id}`, { method: 'PATCH', body });
const get = async (w: World, id: string) => (await w.json<ExtensionView>(`/api/v1/extensions/${id}`)).body;

describe('local changes to synced extensions', () => {
  it('survive full runs, give way to a change in Entra ID, and end when set back to the Entra value', async () => {
    const w = await syncedWorld({ kind: 'auto', start: '3000' });
    const [first, second] = [...(await w.byEntra()).entries()].filter(([, e]) => e.enabled);
    if (!first || !second) throw new Error('no synced extensions');
    const [entraId, ext] = first;
    const untouched = second[1];
    const changed = await patch(w, ext.id, { displayName: 'Reception (front desk)', department: 'Front desk', enabled: false });
    expect(changed.status).toBe(200);
    expect(changed.body.overriddenFields.sort()).toEqual(['department', 'displayName', 'enabled']);

    expect((await w.sync({ full: true })).status).toBe('succeeded');
    expect(await get(w, ext.id)).toMatchObject({ displayName: 'Reception (front desk)', department: 'Front desk', enabled: false });

    // Entra's department changes: its new value wins; the other local changes stay.
    w.emu.ops.updateUser(entraId, { department: 'Sales' });
    w.emu.ops.updateUser(untouched.entraObjectId ?? '', { department: 'Sales' });
    expect((await w.sync()).status).toBe('succeeded');
    const after = await get(w, ext.id);
    expect(after).toMatchObject({ displayName: 'Reception (front desk)', department: 'Sales', enabled: false });
    expect(after.overriddenFields.sort()).toEqual(['displayName', 'enabled']);
    expect(await get(w, untouched.id)).toMatchObject({ department: 'Sales', overriddenFields: [] });

    // Set back to what Entra has: Entra's again, so its next change comes through.
    const back = await patch(w, ext.id, { displayName: ext.displayName, enabled: true });
    expect(back.body.overriddenFields).toEqual([]);
    w.emu.ops.updateUser(entraId, { displayName: 'Renamed In Entra' });
    expect((await w.sync()).status).toBe('succeeded');
    expect((await get(w, ext.id)).displayName).toBe('Renamed In Entra');
  });

  it('keep a number changed here while the numbering property is unchanged, and follow the property when it changes', async () => {
    const w = await syncedWorld({ kind: 'property', property: 'employeeId' });
    const [entraId, ext] = [...(await w.byEntra()).entries()][0] ?? [];
    if (!entraId || !ext) throw new Error('no synced extension');
    expect((await patch(w, ext.id, { number: '8123' })).body).toMatchObject({ number: '8123', overriddenFields: ['number'] });
    expect((await w.sync({ full: true })).status).toBe('succeeded');
    expect((await get(w, ext.id)).number).toBe('8123');
    w.emu.ops.updateUser(entraId, { employeeId: '8777' });
    expect((await w.sync()).status).toBe('succeeded');
    expect(await get(w, ext.id)).toMatchObject({ number: '8777', overriddenFields: [] });
  });

  it('keep the number of a local extension linked by email (property numbering) until the property changes', async () => {
    const w = await startWorld({ emulator: { users: 12, seed: 31 } });
    world = w;
    await w.connect();
    const user = w.emu.state.directory.users.find((u) => u.deletedAt === null && u.data.accountEnabled && u.data.mail)?.data;
    if (!user) throw new Error('no user with a mailbox');
    w.emu.ops.updateUser(user.id, { employeeId: '8500' });
    const local = await w.json<ExtensionView>('/api/v1/extensions', { method: 'POST', body: { number: '42', email: user.mail ?? '' } });
    expect(local.status).toBe(201);
    const run = await saveSettings(w, 'user-sync', { enabled: true, numbering: { kind: 'property', property: 'employeeId' }, sameEmail: 'link' });
    expect(run?.status).toBe('succeeded');
    expect(await get(w, local.body.id)).toMatchObject({ number: '42', source: 'entra', overriddenFields: ['number'] });
    // The next full run lists the user again: the number stays (it used to become 8500 then).
    expect((await w.sync({ full: true })).status).toBe('succeeded');
    expect((await get(w, local.body.id)).number).toBe('42');
    w.emu.ops.updateUser(user.id, { employeeId: '8501' });
    expect((await w.sync()).status).toBe('succeeded');
    expect(await get(w, local.body.id)).toMatchObject({ number: '8501', overriddenFields: [] });
  });

  it('are refused on locked fields as before, and end when the extension is released', async () => {
    const w = await syncedWorld({ kind: 'auto', start: '3000' });
    const [, ext] = [...(await w.byEntra()).entries()][0] ?? [];
    if (!ext) throw new Error('no synced extension');
    const locked = await w.json<{ error: { code: string } }>(`/api/v1/extensions/${ext.id}`, { method: 'PATCH', body: { firstName: 'Local' } });
    expect(locked.body.error.code).toBe('extension_field_locked');
    await patch(w, ext.id, { office: 'Annex' });
    const res = await w.json('/api/v1/integration/disconnect', { method: 'POST', body: { deleteExtensions: false, deleteGroups: false } });
    expect(res.status).toBe(200);
    expect(await get(w, ext.id)).toMatchObject({ source: 'local', office: 'Annex', overriddenFields: [] });
  });
});
