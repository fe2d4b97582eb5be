import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionGroupView } from '../../../server/directory/index.js';
import { saveSettings, startWorld, type World } from './world.js';

/** SPEC §3: a synced group that leaves the group-sync scope is deleted, or released to local management (switch). */
let world: World;
beforeAll(async () => {
  world = await startWorld({ emulator: { users: 20, groups: 2, seed: 31 } });
  await world.connect();
  await saveSettings(world, 'user-sync', { enabled: true });
  await saveSettings(world, 'group-sync', { enabled: true, scope: { kind: 'types', types: ['security'] }, outOfScope: 'release' });
});
afterAll(() => world.stop());

const groups = async () => (await world.json<{ items: ExtensionGroupView[] }>('/api/v1/extension-groups?limit=1000')).body.items;
const users = () => world.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.accountEnabled).map((u) => u.data.id);

/** A security group of these users in Entra, synced by a run. */
async function syncedTeam(name: string, memberIds: string[]): Promise<ExtensionGroupView> {
  const entra = world.emu.ops.createGroup({ displayName: name, securityEnabled: true, groupTypes: [] }, memberIds);
  expect((await world.sync()).status).toBe('succeeded');
  const team = (await groups()).find((g) => g.entraObjectId === entra.id);
  const byEntra = await world.byEntra();
  expect(team).toMatchObject({ name, source: 'entra', readOnly: false, memberIds: memberIds.map((id) => byEntra.get(id)?.id).sort() });
  return team!;
}

/** In Entra the group stops being a security group (a distribution list now): it leaves the `security` type scope. */
const leaveScope = (team: ExtensionGroupView) => world.emu.ops.updateGroup(team.entraObjectId!, { securityEnabled: false, mailEnabled: true });

describe('group sync: out-of-scope groups', () => {
  it('releases the group to local management with its members; Entra no longer changes it and it can be deleted locally', async () => {
    const [a, b, c, d] = users();
    const team = await syncedTeam('Release Team', [a!, b!, c!]);
    leaveScope(team);
    const run = await world.sync();
    expect(run).toMatchObject({ status: 'succeeded', counts: { updated: 1, deleted: 0 } });
    const released = (await groups()).find((g) => g.id === team.id);
    expect(released).toEqual({ ...team, source: 'local', entraObjectId: null, readOnly: false });

    // Membership changes in Entra no longer reach the released group.
    world.emu.ops.removeMember(team.entraObjectId!, a!);
    world.emu.ops.addMember(team.entraObjectId!, d!);
    expect((await world.sync()).status).toBe('succeeded');
    expect((await groups()).find((g) => g.id === team.id)).toEqual(released);

    expect((await world.json(`/api/v1/extension-groups/${team.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await groups()).some((g) => g.id === team.id)).toBe(false);
  });

  it('deletes the group when outOfScope is "delete", keeping its members\' extensions', async () => {
    await saveSettings(world, 'group-sync', { outOfScope: 'delete' });
    const members = users().slice(4, 7);
    const team = await syncedTeam('Delete Team', members);
    leaveScope(team);
    const run = await world.sync();
    expect(run).toMatchObject({ status: 'succeeded', counts: { deleted: 1 } });
    expect((await groups()).some((g) => g.id === team.id || g.name === 'Delete Team')).toBe(false);
    const byEntra = await world.byEntra();
    for (const id of members) expect(byEntra.has(id)).toBe(true);
  });
});
