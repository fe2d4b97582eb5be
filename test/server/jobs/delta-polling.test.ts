import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startChangeWorld, type ChangeWorld } from './support.js';

let world: ChangeWorld;
beforeAll(async () => {
  world = await startChangeWorld({ notifications: false, schedule: { pollSeconds: 5 } });
});
afterAll(async () => {
  await world.stop();
});

describe('delta polling (no PUBLIC_URL)', () => {
  it('polls instead of subscribing', async () => {
    expect(world.emu.services.subscriptions.list(world.emu.clientId)).toEqual([]);
    expect(await world.server.store.db.selectFrom('graph_subscription').selectAll().execute()).toEqual([]);
    const status = await world.json<{ changeTracking: string; nextScheduledSync: string }>('/api/v1/settings/schedule/status');
    expect(status.body.changeTracking).toBe('polling');
    expect(Date.parse(status.body.nextScheduledSync)).toBeGreaterThan(Date.now());
  });

  it('turns a user created in Entra into an extension at the next poll', async () => {
    const created = Date.now();
    const user = world.emu.ops.createUser({ displayName: 'Paul Polled', givenName: 'Paul', surname: 'Polled' });
    const extension = await eventually(async () => (await world.extensions()).find((e) => e.entraObjectId === user.id), 30_000);
    expect(extension).toMatchObject({ displayName: 'Paul Polled', source: 'entra' });
    await world.idle();
    const runs = await world.runs();
    const change = runs.find((r) => r.trigger === 'change' && r.counts.created === 1);
    expect(change?.status).toBe('succeeded');
    expect(Date.parse(change?.startedAt ?? '')).toBeGreaterThanOrEqual(created);
  });
});
