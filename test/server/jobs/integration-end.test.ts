import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windDownTenant } from '../../../server/integration/index.js';
import { refreshChangeTracking } from '../../../server/jobs/index.js';
import { createTenant, deleteTenant } from '../../../server/tenants/index.js';
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

  it('are deleted in Graph when their tenant is deleted', async () => {
    const { adminToken } = await createTenant(world.server.store, { id: 'leaving', name: 'Leaving' });
    const call = async (path: string, method: string, body: unknown) => {
      const res = await fetch(`${world.server.url}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, await res.text()).toBe(200);
    };
    const { emu } = world;
    await call('/api/v1/integration', 'PUT', { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph });
    await call('/api/v1/settings/user-sync', 'PUT', { enabled: true, numbering: { kind: 'auto', start: '3000' } });
    await refreshChangeTracking(world.server.store, 'leaving');
    const ids = (await subscriptionRows()).filter((r) => r.tenant_id === 'leaving').map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(subscriptionsInGraph().map((s) => s.id)).toEqual(expect.arrayContaining(ids));

    await deleteTenant(world.server.store, 'leaving', () => windDownTenant({ store: world.server.store, config: world.server.ctx.config }, 'leaving'));
    expect(subscriptionsInGraph().filter((s) => ids.includes(s.id))).toEqual([]);
    expect(await subscriptionRows()).toEqual([]);
  });
});
