import type { Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
type Item = Record<string, unknown> & { id: string };
type Page = { value: Item[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

/** Follows nextLinks to the deltaLink, like a sync engine would. */
async function drain(client: Client, url: string): Promise<{ items: Item[]; deltaLink: string }> {
  const items: Item[] = [];
  let next: string | undefined = url;
  for (;;) {
    const page = (await client.api(next).get()) as Page;
    items.push(...page.value);
    if (page['@odata.deltaLink']) return { items, deltaLink: page['@odata.deltaLink'] };
    next = page['@odata.nextLink'];
    if (!next) throw new Error('page without links');
  }
}

beforeAll(async () => {
  emu = await startTestEmulator({ users: 450, seed: 3 });
});
afterAll(async () => emu.close());

describe('users delta', () => {
  it('round trip sees a create, an update, a disable and a delete made through Graph by the admin app', async () => {
    const reader = emu.graphClient();
    const admin = emu.graphClient(true);
    const initial = await drain(reader, '/users/delta?$select=displayName,jobTitle,accountEnabled');
    expect(initial.items.length).toBe(450);
    expect(emu.ops.requests({ path: '/users/delta' }).length).toBe(5); // 100 per page
    const [updated, disabled, deleted] = emu.state.directory.users.slice(1, 4).map((u) => u.data.id);
    const created = (await admin.api('/users').post({
      accountEnabled: true, displayName: 'New Hire', mailNickname: 'new.hire', userPrincipalName: `new.hire@${emu.domain}`,
      passwordProfile: { forceChangePasswordNextSignIn: true, password: 'P@ssw0rd!x' },
    })) as { id: string };
    await admin.api(`/users/${updated}`).patch({ jobTitle: 'Chief Emulation Officer' });
    await admin.api(`/users/${disabled}`).patch({ accountEnabled: false });
    await admin.api(`/users/${deleted}`).delete();
    await admin.api(`/users/${updated}`).patch({ department: 'Unselected change' });

    const round = await drain(reader, initial.deltaLink);
    const byId = new Map(round.items.map((i) => [i.id, i]));
    expect(round.items.length).toBe(4);
    expect(byId.get(created.id)).toMatchObject({ displayName: 'New Hire', accountEnabled: true });
    expect(byId.get(updated ?? '')).toMatchObject({ jobTitle: 'Chief Emulation Officer' });
    expect(byId.get(disabled ?? '')).toMatchObject({ accountEnabled: false });
    expect(byId.get(deleted ?? '')).toEqual({ '@odata.type': '#microsoft.graph.user', id: deleted, '@removed': { reason: 'changed' } });

    // Nothing changed since: an empty round with a fresh deltaLink.
    const quiet = await drain(reader, round.deltaLink);
    expect(quiet.items).toEqual([]);
    emu.ops.deleteUser(created.id, true);
    const purged = await drain(reader, quiet.deltaLink);
    expect(purged.items).toEqual([{ '@odata.type': '#microsoft.graph.user', id: created.id, '@removed': { reason: 'deleted' } }]);
  });

  it('Prefer: return=minimal returns only the changed properties', async () => {
    const reader = emu.graphClient();
    const start = (await reader.api('/users/delta?$deltatoken=latest').get()) as Page;
    expect(start.value).toEqual([]);
    const target = emu.state.directory.users[20]?.data.id ?? '';
    emu.ops.updateUser(target, { jobTitle: 'Minimalist' });
    const page = (await reader.api(start['@odata.deltaLink'] ?? '').header('Prefer', 'return=minimal').get()) as Page;
    expect(page.value).toEqual([{ id: target, jobTitle: 'Minimalist' }]);
  });

  it('expired tokens: 400 syncStateNotFound by default, 410 Gone with Location on request', async () => {
    const start = (await emu.graphFetch('/users/delta?$deltatoken=latest').then((r) => r.json())) as Page;
    const link = (start['@odata.deltaLink'] ?? '').replace(`${emu.graph}/v1.0`, '');
    emu.ops.expireDeltaTokens();
    const res = await emu.graphFetch(link);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('syncStateNotFound');
    const again = (await emu.graphFetch('/users/delta?$deltatoken=latest&$select=displayName').then((r) => r.json())) as Page;
    emu.ops.expireDeltaTokens({ status: 410 });
    const gone = await emu.graphFetch((again['@odata.deltaLink'] ?? '').replace(`${emu.graph}/v1.0`, ''));
    expect(gone.status).toBe(410);
    expect(gone.headers.get('location')).toMatch(/\/v1\.0\/users\/delta\?\$select=displayName/);
    // Seven days later a token expires on its own.
    emu.ops.resetAll();
    const fresh = (await emu.graphFetch('/users/delta?$deltatoken=latest').then((r) => r.json())) as Page;
    emu.ops.advanceClock(8 * 86_400_000);
    expect((await emu.graphFetch((fresh['@odata.deltaLink'] ?? '').replace(`${emu.graph}/v1.0`, ''))).status).toBe(400);
    emu.ops.resetAll();
  });
});

describe('groups delta', () => {
  it('repeats a group with more members than a page carries, with the next slice of members@delta each time', async () => {
    emu.services.settings.memberRefsPerPage = 7;
    try {
      const { items } = await drain(emu.graphClient(), '/groups/delta?$select=displayName,members');
      const groups = emu.state.directory.groups.filter((g) => g.deletedAt === null);
      expect(groups.some((g) => g.members.size > 7)).toBe(true);
      for (const group of groups) {
        const parts = items.filter((g) => g.id === group.data.id);
        const slices = parts.map((g) => (g['members@delta'] as Array<{ id: string }>).map((m) => m.id));
        expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(group.members.size / 7));
        for (const slice of slices) expect(slice.length).toBeLessThanOrEqual(7);
        expect(slices.flat().sort()).toEqual([...group.members].sort());
        for (const part of parts) expect(part.displayName).toBe(group.data.displayName);
      }
    } finally {
      emu.services.settings.memberRefsPerPage = 5_000;
    }
  });

  it('slices members@delta in a change round too, and keeps the other changes', async () => {
    const reader = emu.graphClient();
    const admin = emu.graphClient(true);
    const initial = await drain(reader, '/groups/delta?$select=displayName,members');
    const [group, renamed] = emu.state.directory.groups.filter((g) => g.deletedAt === null);
    if (!group || !renamed) throw new Error('no groups');
    const newcomers = emu.state.directory.users.filter((u) => !group.members.has(u.data.id)).slice(0, 10).map((u) => u.data.id);
    for (const id of newcomers) await admin.api(`/groups/${group.data.id}/members/$ref`).post({ '@odata.id': `${emu.graph}/v1.0/directoryObjects/${id}` });
    await admin.api(`/groups/${renamed.data.id}`).patch({ displayName: 'Renamed in a sliced round' });
    emu.services.settings.memberRefsPerPage = 4;
    try {
      const round = await drain(reader, initial.deltaLink);
      const parts = round.items.filter((g) => g.id === group.data.id);
      const slices = parts.map((g) => (g['members@delta'] as Array<{ id: string }>).map((m) => m.id));
      expect(parts.length).toBe(3);
      for (const slice of slices) expect(slice.length).toBeLessThanOrEqual(4);
      expect(slices.flat().sort()).toEqual([...newcomers].sort());
      expect(round.items.find((g) => g.id === renamed.data.id)?.displayName).toBe('Renamed in a sliced round');
    } finally {
      emu.services.settings.memberRefsPerPage = 5_000;
    }
  });

  it('reports membership in members@delta, removals with @removed', async () => {
    const reader = emu.graphClient();
    const admin = emu.graphClient(true);
    const initial = await drain(reader, '/groups/delta?$select=displayName,members');
    const group = emu.state.directory.groups[3];
    if (!group) throw new Error('no group');
    const first = initial.items.find((g) => g.id === group.data.id);
    expect((first?.['members@delta'] as unknown[]).length).toBe(group.members.size);
    const newcomer = emu.state.directory.users.find((u) => !group.members.has(u.data.id))?.data.id ?? '';
    const leaver = [...group.members].find((m) => emu.state.directory.findUser(m)) ?? '';
    await admin.api(`/groups/${group.data.id}/members/$ref`).post({ '@odata.id': `${emu.graph}/v1.0/directoryObjects/${newcomer}` });
    await admin.api(`/groups/${group.data.id}/members/${leaver}/$ref`).delete();
    const round = await drain(reader, initial.deltaLink);
    expect(round.items).toHaveLength(1);
    expect(round.items[0]?.['members@delta']).toEqual([
      { '@odata.type': '#microsoft.graph.user', id: newcomer },
      { '@odata.type': '#microsoft.graph.user', id: leaver, '@removed': { reason: 'deleted' } },
    ]);
  });
});
