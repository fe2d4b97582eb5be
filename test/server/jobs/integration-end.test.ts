import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChangeWorld, type ChangeWorld } from './support.js';

let world: ChangeWorld;
beforeAll(async () => {
  world = await startChangeWorld({ notifications: true });
});
afterAll(async () => {
  await world.stop();
});

const subscriptionsInGraph = () => world.emu.services.subscriptions.list(world.emu.clientId);
const subscriptionRows = () => world.server.store.db.selectFrom('graph_subscription').selectAll().execute();
const keep = { deleteExtensions: false, deleteGroups: false };

describe('Graph subscriptions when the integration ends', () => {
  it('are deleted in Graph, not only here, when the integration is disabled and when it is disconnected', async () => {
    expect(subscriptionsInGraph().map((s) => s.resource).sort()).toEqual(['groups', 'users']);
    expect((await world.json('/api/v1/integration/disable', { method: 'POST', body: keep })).status).toBe(200);
    expect(subscriptionsInGraph()).toEqual([]);
    expect(await subscriptionRows()).toEqual([]);

    expect((await world.json('/api/v1/integration/enable', { method: 'POST' })).status).toBe(200);
    const renewed = subscriptionsInGraph();
    expect(renewed.map((s) => s.resource).sort()).toEqual(['groups', 'users']);
    expect((await subscriptionRows()).map((r) => r.id).sort()).toEqual(renewed.map((s) => s.id).sort());

    expect((await world.json('/api/v1/integration/disconnect', { method: 'POST', body: keep })).status).toBe(200);
    expect(subscriptionsInGraph()).toEqual([]);
    expect(await subscriptionRows()).toEqual([]);
  });
});
