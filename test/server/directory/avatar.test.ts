import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avatarPng } from '../../emulator/graph/photos.js';
import type { RunView } from '../../../server/directory/index.js';
import { GUARD_EVERY_DELETE, leaveRunAsKilled, saveSettings, startRunKilledAfter, startWorld, syncHeldAndConfirm, type World } from './world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld({ emulator: { users: 30, seed: 11 } });
  await world.connect();
});
afterAll(async () => {
  await world.stop();
});

const avatar = (id: string, headers: Record<string, string> = {}) => world.server.admin(`/api/v1/extensions/${id}/avatar`, { headers });

/** New users with a profile photo. */
function newUsersWithPhotos(...names: string[]): string[] {
  return names.map((displayName) => {
    const user = world.emu.ops.createUser({ displayName });
    world.emu.ops.setPhoto(user.id, true);
    return user.id;
  });
}

/** HTTP status of each user's avatar (404: no avatar). */
async function avatarStatuses(entraIds: string[]): Promise<number[]> {
  const byEntra = await world.byEntra();
  return Promise.all(entraIds.map(async (id) => (await avatar(byEntra.get(id)?.id ?? 'none')).status));
}

describe('profile photo as avatar', () => {
  it('stores no avatars while photoAsAvatar is off (the default)', async () => {
    const run = await saveSettings(world, 'user-sync', { enabled: true });
    expect(run?.status).toBe('succeeded');
    const [first] = await world.extensions();
    expect((await avatar(first?.id ?? '')).status).toBe(404);
  });

  it('serves the Entra photo of users that have one, with its type and ETag; none for the others', async () => {
    // Switching it on changes no extension field: the full round the rule change causes fetches every photo.
    expect(await saveSettings(world, 'user-sync', { enabled: true, photoAsAvatar: true })).toBeUndefined();
    const run = await world.sync();
    expect(run.status).toBe('succeeded');
    const byEntra = await world.byEntra();
    const users = world.emu.state.directory.users.filter((u) => byEntra.has(u.data.id));
    const withPhoto = users.filter((u) => u.hasPhoto);
    const without = users.filter((u) => !u.hasPhoto);
    expect(withPhoto.length).toBeGreaterThan(0);
    expect(without.length).toBeGreaterThan(0);
    for (const user of withPhoto) {
      const res = await avatar(byEntra.get(user.data.id)?.id ?? '');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer()).equals(avatarPng(user.data.id))).toBe(true);
      const etag = res.headers.get('etag') ?? '';
      expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
      expect((await avatar(byEntra.get(user.data.id)?.id ?? '', { 'if-none-match': etag })).status).toBe(304);
    }
    for (const user of without) {
      const res = await avatar(byEntra.get(user.data.id)?.id ?? '');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    expect(run.problems).toEqual([]);
  });

  it('reads the photos of extensions a run held by the deletion guard creates once it is confirmed', async () => {
    // The rule change makes the next run a full one, run here.
    await saveSettings(world, 'user-sync', { enabled: true, photoAsAvatar: true, deletionGuard: GUARD_EVERY_DELETE });
    expect((await world.sync()).status).toBe('succeeded');
    const joiners = newUsersWithPhotos('Held Joiner');
    world.emu.ops.deleteUser([...(await world.byEntra()).keys()][0]!, true);
    expect(await syncHeldAndConfirm(world)).toMatchObject({ status: 'succeeded', counts: { created: 1, deleted: 1 } });
    expect(await avatarStatuses(joiners)).toEqual([200]);
  });

  it('reads the photos of extensions a run interrupted while applying created, before and after the interruption, once it resumes', async () => {
    const joiners = newUsersWithPhotos('Early Joiner', 'Late Joiner');
    // One create per chunk: the process "dies" after the first.
    const runId = await startRunKilledAfter(world, 1, { chunkSize: 1 });
    await leaveRunAsKilled(world, runId);
    expect(await avatarStatuses(joiners)).toEqual([404, 404]);
    await world.restart();
    await expect.poll(async () => (await world.json<RunView>(`/api/v1/sync-runs/${runId}`)).body.status).toBe('succeeded');
    expect((await world.json<RunView>(`/api/v1/sync-runs/${runId}`)).body.counts.created).toBe(2);
    expect(await avatarStatuses(joiners)).toEqual([200, 200]);
  });

  it('reports photos it cannot read when a resumed run ends while the integration is disabled, and the run still succeeds', async () => {
    const joiners = newUsersWithPhotos('Joins While Disabled');
    const runId = await startRunKilledAfter(world, 1, { chunkSize: 1 });
    await leaveRunAsKilled(world, runId);
    expect((await world.json('/api/v1/integration/disable', { method: 'POST', body: { deleteExtensions: false, deleteGroups: false } })).status).toBe(200);
    await world.restart();
    await expect.poll(async () => (await world.json<RunView>(`/api/v1/sync-runs/${runId}`)).body.status).not.toBe('running');
    const run = (await world.json<RunView>(`/api/v1/sync-runs/${runId}`)).body;
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 1 } });
    expect(run.problems.map((p) => p.reason)).toEqual(['profile photos not read: The Microsoft 365 integration is disabled.']);
    expect(await avatarStatuses(joiners)).toEqual([404]);
    expect((await world.json('/api/v1/integration/enable', { method: 'POST' })).status).toBe(200);
  });
});
