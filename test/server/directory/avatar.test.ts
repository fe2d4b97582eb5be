import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avatarPng } from '../../emulator/graph/photos.js';
import { saveSettings, startWorld, type World } from './world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld({ emulator: { users: 30, seed: 11 } });
  await world.connect();
});
afterAll(async () => {
  await world.stop();
});

const avatar = (id: string, headers: Record<string, string> = {}) => world.server.admin(`/api/v1/extensions/${id}/avatar`, { headers });

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
});
