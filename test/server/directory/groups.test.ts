import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionGroupView, ExtensionView, GroupSyncSettings } from '../../../server/directory/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { saveSettings, startWorld, type World } from './world.js';

let world: World;
beforeAll(async () => {
  // Pages of at most 4 member references: bigger groups arrive in slices over several pages.
  world = await startWorld({ emulator: { users: 60, groups: 8, seed: 21, memberRefsPerPage: 4 } });
  await world.connect();
  await saveSettings(world, 'user-sync', { enabled: true });
});
afterAll(() => world.stop());

const groups = async () => (await world.json<{ items: ExtensionGroupView[] }>('/api/v1/extension-groups?limit=1000')).body.items;
const dir = () => world.emu.state.directory;
const liveGroups = () => dir().groups.filter((g) => g.deletedAt === null);

/** Expected members: direct members that are synced users. */
async function expectedMembers(entraGroupId: string): Promise<string[]> {
  const byEntra = await world.byEntra();
  return [...(dir().findGroup(entraGroupId)?.members ?? [])].flatMap((m) => byEntra.get(m)?.id ?? []).sort();
}

describe('group sync', () => {
  it('syncs every group with its synced members, merging groups that span several pages', async () => {
    const run = await saveSettings(world, 'group-sync', { enabled: true });
    expect(run?.status).toBe('succeeded');
    expect(liveGroups().some((g) => g.members.size > 4)).toBe(true);
    const synced = await groups();
    expect(synced.map((g) => g.entraObjectId).sort()).toEqual(liveGroups().map((g) => g.data.id).sort());
    for (const g of synced) expect(g.memberIds).toEqual(await expectedMembers(g.entraObjectId!));
    expect(synced.some((g) => g.memberIds.length > 0)).toBe(true);
  });

  it('follows renames and membership changes in place, merging a change round that spans several pages', async () => {
    const target = liveGroups()[0]!;
    const before = (await groups()).find((g) => g.entraObjectId === target.data.id)!;
    world.emu.ops.updateGroup(target.data.id, { displayName: 'Renamed Team' });
    // More newcomers than a page carries: the change round repeats the group with slices of members@delta.
    const newcomers = dir().users.filter((u) => u.deletedAt === null && u.data.accountEnabled && !target.members.has(u.data.id)).slice(0, 6);
    for (const user of newcomers) world.emu.ops.addMember(target.data.id, user.data.id);
    await world.sync();
    const after = (await groups()).find((g) => g.entraObjectId === target.data.id)!;
    expect(after).toMatchObject({ id: before.id, name: 'Renamed Team' });
    expect(after.memberIds).toEqual(await expectedMembers(target.data.id));
    expect(after.memberIds.length).toBe(before.memberIds.length + 6);
  });

  it('an incremental run recomputes only what changed and agrees with the mirror for every group', async () => {
    const [a, b] = liveGroups();
    const leaver = [...a!.members].find((m) => dir().users.some((u) => u.data.id === m && u.deletedAt === null && u.data.accountEnabled))!;
    world.emu.ops.removeMember(a!.data.id, leaver);
    const doomed = [...b!.members].find((m) => m !== leaver && dir().users.some((u) => u.data.id === m && u.deletedAt === null))!;
    world.emu.ops.deleteUser(doomed);
    const newcomer = world.emu.ops.createUser({ displayName: 'Group Newcomer', accountEnabled: true });
    world.emu.ops.addMember(b!.data.id, newcomer.id);
    world.emu.ops.addMember(a!.data.id, newcomer.id);
    const run = await world.sync();
    expect(run.status).toBe('succeeded');
    const byEntra = await world.byEntra();
    const newcomerExt = byEntra.get(newcomer.id)!;
    const synced = await groups();
    for (const g of synced) expect(g.memberIds, g.name).toEqual(await expectedMembers(g.entraObjectId!));
    const memberOf = (entraId: string) => synced.find((g) => g.entraObjectId === entraId)!.memberIds;
    expect(memberOf(a!.data.id)).toContain(newcomerExt.id);
    expect(memberOf(b!.data.id)).toContain(newcomerExt.id);
    expect(memberOf(a!.data.id)).not.toContain(byEntra.get(leaver)!.id);
  });

  it('recomputes every group when the groups round is a full one while the users round is incremental', async () => {
    const [a] = liveGroups();
    const leaver = [...a!.members].find((m) => dir().users.some((u) => u.data.id === m && u.deletedAt === null && u.data.accountEnabled))!;
    world.emu.ops.removeMember(a!.data.id, leaver);
    // The groups delta link is gone (expired while group sync was paused, say); the users one is not.
    await world.server.store.db.deleteFrom('delta_state').where('tenant_id', '=', DEFAULT_TENANT).where('resource', '=', 'directory:groups').execute();
    expect((await world.sync()).status).toBe('succeeded');
    const synced = await groups();
    for (const g of synced) expect(g.memberIds, g.name).toEqual(await expectedMembers(g.entraObjectId!));
    expect(synced.find((g) => g.entraObjectId === a!.data.id)!.memberIds).not.toContain((await world.byEntra()).get(leaver)!.id);
  });

  it('refuses to delete a synced group locally', async () => {
    const g = (await groups())[0]!;
    const res = await world.json<{ error: { code: string } }>(`/api/v1/extension-groups/${g.id}`, { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('extension_group_synced');
  });

  it('limits the number of groups and scopes by type', async () => {
    const run = await saveSettings(world, 'group-sync', { enabled: true, maxGroups: 3 }).then(() => world.sync());
    expect((await groups()).length).toBe(3);
    expect(run.problems.filter((p) => p.reason === 'the synced group limit (3) is reached').length).toBe(liveGroups().length - 3);

    await saveSettings(world, 'group-sync', { enabled: true, scope: { kind: 'types', types: ['microsoft365'] }, maxGroups: 63 });
    await world.sync();
    const unified = liveGroups().filter((g) => g.data.groupTypes.includes('Unified')).map((g) => g.data.id).sort();
    expect((await groups()).map((g) => g.entraObjectId).sort()).toEqual(unified);
  });

  it('deletes a group deleted in Entra', async () => {
    const victim = (await groups())[0]!;
    world.emu.ops.deleteGroup(victim.entraObjectId!);
    expect((await world.sync()).counts.deleted).toBeGreaterThanOrEqual(1);
    expect((await groups()).some((g) => g.id === victim.id)).toBe(false);
  });

  it('pausing keeps the rules and the group mirror; paused rules are read-only until a save resumes', async () => {
    type Answer = GroupSyncSettings & { error: { code: string; message: string; details: { hint: string } } };
    const put = (body: unknown, query = '') => world.json<Answer>(`/api/v1/settings/group-sync${query}`, { method: 'PUT', body });
    const stored = async () => (await world.json<GroupSyncSettings>('/api/v1/settings/group-sync')).body;
    const mirror = async () => ({
      links: await world.server.store.db.selectFrom('delta_state').select(['resource', 'delta_link']).where('tenant_id', '=', DEFAULT_TENANT).orderBy('resource').execute(),
      groups: (await world.server.store.db.selectFrom('entra_group').select('id').where('tenant_id', '=', DEFAULT_TENANT).execute()).length,
    });
    expect((await put({ outOfScope: 'release', maxGroups: 40 })).status).toBe(200);
    const kept = await stored();
    expect(kept).toEqual({ enabled: true, scope: { kind: 'types', types: ['microsoft365'] }, outOfScope: 'release', maxGroups: 40 });
    const before = await mirror();
    expect(before.groups).toBeGreaterThan(0);

    const paused = await put({ enabled: false }, '?onDisable=keep');
    expect(paused.status).toBe(200);
    expect(paused.body).toEqual({ ...kept, enabled: false });
    expect((await groups()).every((g) => g.readOnly)).toBe(true);
    expect(await mirror()).toEqual(before);

    for (const body of [{ enabled: false, scope: { kind: 'all' } }, { maxGroups: 63 }]) {
      const refused = await put(body);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('settings_read_only');
      expect(refused.body.error.message).toMatch(/^Group sync is paused/);
      expect(refused.body.error.details.hint).toMatch(/^Resume group sync \(enabled: true\)/);
    }
    expect((await put({ ...kept, enabled: false })).status).toBe(200);
    expect(await stored()).toEqual({ ...kept, enabled: false });

    await saveSettings(world, 'group-sync', { enabled: true });
    expect(await stored()).toEqual(kept);
    expect((await groups()).some((g) => g.readOnly)).toBe(false);

    await saveSettings(world, 'group-sync', { enabled: false });
    await saveSettings(world, 'group-sync', { enabled: true, scope: { kind: 'all' } });
    expect(await stored()).toEqual({ ...kept, scope: { kind: 'all' } });
    expect((await groups()).length).toBe(liveGroups().length);
  });

  it('pauses: keeps objects read-only, or deletes them', async () => {
    await saveSettings(world, 'group-sync', { enabled: false }, '?onDisable=keep');
    expect((await groups()).every((g) => g.readOnly)).toBe(true);
    await saveSettings(world, 'group-sync', { enabled: false }, '?onDisable=delete');
    await saveSettings(world, 'group-sync', { enabled: true });
    await saveSettings(world, 'group-sync', { enabled: false }, '?onDisable=delete');
    expect(await groups()).toEqual([]);

    await saveSettings(world, 'user-sync', { enabled: false }, '?onDisable=keep');
    const ext = (await world.extensions())[0]!;
    expect(ext.readOnly).toBe(true);
    const res = await world.json<{ error: { code: string } }>(`/api/v1/extensions/${ext.id}`, { method: 'PATCH', body: { department: 'x' } });
    expect(res.body.error.code).toBe('extension_read_only');
    await saveSettings(world, 'user-sync', { enabled: true });
    expect(((await world.json<ExtensionView>(`/api/v1/extensions/${ext.id}`)).body).readOnly).toBe(false);
    await saveSettings(world, 'user-sync', { enabled: false }, '?onDisable=delete');
    expect(await world.extensions()).toEqual([]);
  });

  it('offers a paged, searchable picker of Entra groups', async () => {
    const first = await world.json<{ items: Array<{ id: string; displayName: string; kind: string }>; nextCursor: string | null }>('/api/v1/directory/groups?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.items.length).toBe(3);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await world.json<{ items: Array<{ id: string }> }>(`/api/v1/directory/groups?limit=3&cursor=${encodeURIComponent(first.body.nextCursor!)}`);
    expect(second.body.items[0]?.id).not.toBe(first.body.items[0]?.id);
    const name = liveGroups()[1]!.data.displayName;
    const found = await world.json<{ items: Array<{ displayName: string }> }>(`/api/v1/directory/groups?search=${encodeURIComponent(name.slice(0, 5))}`);
    expect(found.body.items.map((g) => g.displayName)).toContain(name);
  });
});
