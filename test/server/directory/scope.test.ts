import { afterEach, describe, expect, it } from 'vitest';
import type { ExtensionView, RunView, UserSyncSettings } from '../../../server/directory/index.js';
import { saveSettings, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

async function connected(users = 40): Promise<World> {
  world = await startWorld({ emulator: { users, seed: 11 } });
  await world.connect();
  return world;
}
const live = (w: World) => w.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.accountEnabled);
const reasons = (run: RunView | undefined) => (run?.problems ?? []).map((p) => `${p.objectId}: ${p.reason}`);

describe('numbering', () => {
  it('reads numbers from a property, skips missing and duplicate ones, follows property changes', async () => {
    const w = await connected();
    const [a, b, c, d] = live(w).filter((u) => u.data.userType === 'Member').map((u) => u.data);
    w.emu.ops.updateUser(a!.id, { businessPhones: ['+1 (425) 555-7001'] });
    w.emu.ops.updateUser(b!.id, { businessPhones: ['+44 20 7946 7001'] });
    w.emu.ops.updateUser(c!.id, { businessPhones: [] });
    w.emu.ops.updateUser(d!.id, { businessPhones: ['+1 425 555 7002'] });
    const local = await w.json<ExtensionView>('/api/v1/extensions', { method: 'POST', body: { number: '7002', displayName: 'Front desk' } });
    expect(local.status).toBe(201);

    const run = await saveSettings(w, 'user-sync', { enabled: true, numbering: { kind: 'property', property: 'businessPhones', digits: 4 } });
    const ext = await w.byEntra();
    expect(ext.get(a!.id)?.number).toBe('7001');
    expect(ext.has(b!.id)).toBe(false);
    expect(ext.has(c!.id)).toBe(false);
    expect(ext.has(d!.id)).toBe(false);
    expect(reasons(run)).toEqual(
      expect.arrayContaining([
        `${b!.id}: number 7001 is already used by another extension`,
        `${c!.id}: businessPhones is empty`,
        `${d!.id}: number 7002 is already used by another extension`,
      ]),
    );

    w.emu.ops.updateUser(b!.id, { businessPhones: ['+44 20 7946 7003'] });
    w.emu.ops.updateUser(a!.id, { businessPhones: ['+1 425 555 7004'] });
    const next = await w.sync();
    expect(next.counts).toMatchObject({ created: 1, updated: 1 });
    const after = await w.byEntra();
    expect(after.get(b!.id)?.number).toBe('7003');
    expect(after.get(a!.id)).toMatchObject({ id: ext.get(a!.id)?.id, number: '7004' });
  });

  it("reads a business phone's main number: an extension suffix after it is no part of the number", async () => {
    const w = await connected(10);
    const [a, b] = live(w).filter((u) => u.data.userType === 'Member').map((u) => u.data);
    w.emu.ops.updateUser(a!.id, { businessPhones: ['+1 425 555 0100 ext. 23'] });
    w.emu.ops.updateUser(b!.id, { businessPhones: ['+49 (0)30 1234567 x9'] });
    await saveSettings(w, 'user-sync', { enabled: true, numbering: { kind: 'property', property: 'businessPhones' } });
    const ext = await w.byEntra();
    expect(ext.get(a!.id)?.number).toBe('14255550100');
    expect(ext.get(b!.id)?.number).toBe('49301234567');
  });

  it('allocates automatically within start/end and reports users beyond the range or the limit', async () => {
    const w = await connected(30);
    const run = await saveSettings(w, 'user-sync', { enabled: true, numbering: { kind: 'auto', start: '500', end: '509' } });
    const numbers = [...(await w.byEntra()).values()].map((e) => e.number).sort();
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => String(500 + i)));
    expect(run?.counts.skipped).toBe(live(w).length - 10);
    expect(reasons(run)[0]).toMatch(/no free extension number/);

    const limited = await saveSettings(w, 'user-sync', { enabled: true, numbering: { kind: 'auto', start: '600' }, maxExtensions: 12 }).then(() => w.sync());
    expect((await w.byEntra()).size).toBe(12);
    expect(reasons(limited).some((r) => r.endsWith('the extension limit (12) is reached'))).toBe(true);
  });
});

describe('same email', () => {
  it('skips with a conflict, or links the local extension and overwrites it from Entra', async () => {
    const w = await connected(20);
    const user = live(w).find((u) => u.data.mail)!.data;
    const local = (await w.json<ExtensionView>('/api/v1/extensions', { method: 'POST', body: { number: '42', email: user.mail ?? '', firstName: 'Old' } })).body;

    const skipped = await saveSettings(w, 'user-sync', { enabled: true, sameEmail: 'skip' });
    expect((await w.byEntra()).has(user.id)).toBe(false);
    expect(reasons(skipped)).toContain(`${user.id}: local extension 42 has the same email ${user.mail?.toLowerCase()}`);

    await saveSettings(w, 'user-sync', { enabled: true, sameEmail: 'link' });
    const linked = await w.sync();
    expect(linked.counts.updated).toBeGreaterThanOrEqual(1);
    const ext = (await w.byEntra()).get(user.id);
    expect(ext).toMatchObject({ id: local.id, number: '42', source: 'entra', firstName: user.givenName ?? '' });
  });
});

describe('scope', () => {
  it('by user type', async () => {
    const w = await connected();
    await saveSettings(w, 'user-sync', { enabled: true, scope: { kind: 'userType', userTypes: ['Member'] } });
    const expected = live(w).filter((u) => u.data.userType === 'Member').map((u) => u.data.id).sort();
    expect([...(await w.byEntra()).keys()].sort()).toEqual(expected);
  });

  it('by groups (transitive); a user moved out is deleted, or released', async () => {
    const w = await connected();
    const dir = w.emu.state.directory;
    const group = dir.groups.find((g) => [...g.members].filter((m) => dir.findUser(m)).length >= 4)!;
    const inGroup = () => new Set(dir.transitiveMembers(group).filter((id) => dir.findUser(id)?.data.accountEnabled));
    await saveSettings(w, 'user-sync', { enabled: true, scope: { kind: 'groups', groupIds: [group.data.id] } });
    expect([...(await w.byEntra()).keys()].sort()).toEqual([...inGroup()].sort());

    const [out1, out2] = [...group.members].filter((m) => dir.findUser(m)?.data.accountEnabled);
    w.emu.ops.removeMember(group.data.id, out1!);
    expect((await w.sync()).counts.deleted).toBe(1);
    expect((await w.byEntra()).has(out1!)).toBe(false);

    await saveSettings(w, 'user-sync', { enabled: true, scope: { kind: 'groups', groupIds: [group.data.id] }, outOfScope: 'release' });
    await w.sync();
    const kept = (await w.byEntra()).get(out2!)!;
    w.emu.ops.removeMember(group.data.id, out2!);
    await w.sync();
    expect((await w.byEntra()).has(out2!)).toBe(false);
    const released = (await w.json<ExtensionView>(`/api/v1/extensions/${kept.id}`)).body;
    expect(released).toMatchObject({ source: 'local', entraObjectId: null, lockedFields: [] });

    // A user added to the group joins the scope at the next (delta) run.
    w.emu.ops.addMember(group.data.id, out1!);
    expect((await w.sync()).counts.created).toBe(1);
    expect((await w.byEntra()).has(out1!)).toBe(true);
  });

  it('by groups whose ids are given in upper case: the same members, and the same groups for group sync', async () => {
    const w = await connected();
    const dir = w.emu.state.directory;
    const group = dir.groups.find((g) => [...g.members].filter((m) => dir.findUser(m)?.data.accountEnabled).length >= 2)!;
    const members = dir.transitiveMembers(group).filter((id) => dir.findUser(id)?.data.accountEnabled).sort();
    const upper = { kind: 'groups', groupIds: [group.data.id.toUpperCase()] };
    await saveSettings(w, 'user-sync', { enabled: true, scope: upper });
    expect((await w.json<UserSyncSettings>('/api/v1/settings/user-sync')).body.scope).toEqual({ kind: 'groups', groupIds: [group.data.id] });
    expect([...(await w.byEntra()).keys()].sort()).toEqual(members);
    await saveSettings(w, 'group-sync', { enabled: true, scope: upper });
    const run = await w.sync();
    expect(run.counts).toMatchObject({ deleted: 0 });
    expect([...(await w.byEntra()).keys()].sort()).toEqual(members);
    const groups = (await w.json<{ items: Array<{ entraObjectId: string }> }>('/api/v1/extension-groups')).body.items;
    expect(groups.map((g) => g.entraObjectId)).toEqual([group.data.id]);
  });

  it('by groups: a new member Graph will not answer for is reported, and synced by the next run', async () => {
    const w = await connected();
    const dir = w.emu.state.directory;
    const group = dir.groups.find((g) => [...g.members].filter((m) => dir.findUser(m)).length >= 2)!;
    await saveSettings(w, 'user-sync', { enabled: true, scope: { kind: 'groups', groupIds: [group.data.id] } });
    const members = new Set(dir.transitiveMembers(group));
    const joiner = live(w).find((u) => !members.has(u.data.id))!.data.id;
    w.emu.ops.addMember(group.data.id, joiner);
    w.emu.ops.setFaults({ rate5xx: 1, status5xx: 503, paths: [`/v1.0/users/${joiner}`] });
    const failed = await w.sync();
    expect(failed).toMatchObject({ status: 'succeeded', counts: { created: 0, skipped: 1 } });
    expect(reasons(failed)).toEqual([`${joiner}: member of a scoped group, but reading the user failed (HTTP 503): no extension yet`]);
    expect((await w.byEntra()).has(joiner)).toBe(false);
    w.emu.ops.clearFaults();
    expect((await w.sync()).counts.created).toBe(1);
    expect((await w.byEntra()).has(joiner)).toBe(true);
  });

  it('by a custom OData filter', async () => {
    const w = await connected();
    const department = live(w)[3]!.data.department!;
    const run = await saveSettings(w, 'user-sync', { enabled: true, scope: { kind: 'filter', filter: `department eq '${department}'` } });
    expect(run?.status).toBe('succeeded');
    const expected = live(w).filter((u) => u.data.department === department).map((u) => u.data.id).sort();
    expect([...(await w.byEntra()).keys()].sort()).toEqual(expected);
  });
});

describe('filter scope: synced users the filtered listing no longer returns', () => {
  /** A filter on the department with the most enabled users, after its first sync. */
  async function filtered(settings: Record<string, unknown>): Promise<{ w: World; members: string[] }> {
    const w = await connected();
    const byDepartment = new Map<string, string[]>();
    for (const u of live(w)) if (u.data.department) byDepartment.set(u.data.department, [...(byDepartment.get(u.data.department) ?? []), u.data.id]);
    const [department, members] = [...byDepartment].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(members.length).toBeGreaterThanOrEqual(2);
    await saveSettings(w, 'user-sync', { enabled: true, scope: { kind: 'filter', filter: `department eq '${department}'` }, ...settings });
    expect([...(await w.byEntra()).keys()].sort()).toEqual([...members].sort());
    return { w, members };
  }
  const status = async (w: World, extensionId: string) => (await w.json(`/api/v1/extensions/${extensionId}`)).status;

  it('deletes the extension of a user deleted in Entra (deleteWhen.deleted), releases one the filter stopped matching', async () => {
    const { w, members } = await filtered({ outOfScope: 'release', deleteWhen: { disabled: true, deleted: true } });
    const [gone, moved] = members as [string, string];
    const before = await w.byEntra();
    w.emu.ops.deleteUser(gone, true);
    w.emu.ops.updateUser(moved, { department: 'Elsewhere' });
    w.emu.ops.clearRequests();
    const run = await w.sync();
    expect(run).toMatchObject({ status: 'succeeded', counts: { deleted: 1 }, problems: [] });
    expect(await status(w, before.get(gone)!.id)).toBe(404);
    const released = (await w.json<ExtensionView>(`/api/v1/extensions/${before.get(moved)!.id}`)).body;
    expect(released).toMatchObject({ source: 'local', entraObjectId: null });
    // Only the two unlisted users were looked up, by id, inside $batch.
    const lookups = w.emu.ops.requests({ path: '/v1.0/users/' }).filter((r) => r.batched);
    expect(lookups.map((r) => r.path).sort()).toEqual([`/v1.0/users/${gone}`, `/v1.0/users/${moved}`].sort());
  });

  it('disables the extension of a deleted user when deleteWhen.deleted is off, deletes one the filter stopped matching', async () => {
    const { w, members } = await filtered({ outOfScope: 'delete', deleteWhen: { disabled: true, deleted: false } });
    const [gone, moved] = members as [string, string];
    const before = await w.byEntra();
    w.emu.ops.deleteUser(gone); // soft delete: GET /users/{id} answers 404 as well
    w.emu.ops.updateUser(moved, { department: 'Elsewhere' });
    const run = await w.sync();
    expect(run).toMatchObject({ status: 'succeeded', counts: { deleted: 1 }, problems: [] });
    const after = await w.byEntra();
    expect(after.get(gone)).toMatchObject({ id: before.get(gone)!.id, source: 'entra', enabled: false });
    expect(after.has(moved)).toBe(false);
    expect(await status(w, before.get(moved)!.id)).toBe(404);
  });

  it('leaves the extension untouched when the existence check keeps failing, and settles it on the next run', async () => {
    const { w, members } = await filtered({ outOfScope: 'release' });
    const gone = members[0]!;
    const before = (await w.byEntra()).get(gone);
    w.emu.ops.deleteUser(gone, true);
    for (const [fault, code] of [[{ rate429: 1 }, 429], [{ rate5xx: 1, status5xx: 503 }, 503]] as const) {
      w.emu.ops.setFaults({ ...fault, paths: [`/v1.0/users/${gone}`] });
      const run = await w.sync();
      expect(run).toMatchObject({ status: 'succeeded', counts: { deleted: 0, skipped: 1 } });
      expect(reasons(run)).toEqual([`${gone}: not returned by the scope filter, and checking whether the user still exists failed (HTTP ${code}): extension left unchanged`]);
      expect((await w.byEntra()).get(gone)).toEqual(before);
    }
    w.emu.ops.clearFaults();
    const settled = await w.sync();
    expect(settled).toMatchObject({ status: 'succeeded', counts: { deleted: 1 }, problems: [] });
    expect(await status(w, before!.id)).toBe(404);
  });
});
