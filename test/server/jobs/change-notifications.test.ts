import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphForTenant } from '../../../server/graph/index.js';
import { dropTenantSubscriptions, refreshChangeTracking } from '../../../server/jobs/index.js';
import { createSubscription, ensureSubscriptions } from '../../../server/jobs/subscriptions.js';
import { openStore } from '../../../server/store/index.js';
import { eventually, startChangeWorld, type ChangeWorld } from './support.js';

let world: ChangeWorld;
beforeAll(async () => {
  world = await startChangeWorld({ notifications: true });
});
afterAll(async () => {
  await world.stop();
});

const subscriptionsInGraph = () => world.emu.services.subscriptions.list(world.emu.clientId);
const subscriptionRows = () => world.server.store.db.selectFrom('graph_subscription').selectAll().orderBy('resource').execute();
const post = (path: string, body: unknown, query = '') =>
  fetch(`${world.server.url}${path}${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Graph change notifications (PUBLIC_URL set)', () => {
  it('subscribes to users and groups, answering both validation handshakes', async () => {
    const rows = await subscriptionRows();
    expect(rows.map((r) => r.resource)).toEqual(['groups', 'users']);
    const inGraph = subscriptionsInGraph();
    expect(inGraph.map((s) => s.id).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const s of inGraph) {
      expect(s).toMatchObject({
        changeType: 'updated,deleted',
        notificationUrl: `${world.publicUrl}/graph/notifications`,
        lifecycleNotificationUrl: `${world.publicUrl}/graph/lifecycle`,
      });
      // Only a hash is stored, never the clientState itself.
      expect(rows.map((r) => r.client_state)).not.toContain(s.clientState);
    }
    const validations = world.emu.services.subscriptions.deliveries.filter((d) => d.kind === 'validation');
    expect(validations.length).toBe(4);
    expect(validations.every((d) => d.status === 200)).toBe(true);
    const status = await world.json('/api/v1/settings/schedule/status');
    expect(status.body).toMatchObject({ changeTracking: 'notifications' });
  });

  it('turns a user created in Entra into an extension through a change notification', async () => {
    const user = world.emu.ops.createUser({ displayName: 'Nora Notified', givenName: 'Nora', surname: 'Notified' });
    const extension = await eventually(async () => (await world.extensions()).find((e) => e.entraObjectId === user.id));
    expect(extension).toMatchObject({ displayName: 'Nora Notified', firstName: 'Nora', lastName: 'Notified', source: 'entra' });
    const delivered = world.emu.services.subscriptions.deliveries.filter((d) => d.kind === 'notification');
    expect(delivered.some((d) => d.status === 202)).toBe(true);
    await world.idle();
    expect((await world.runs()).some((r) => r.trigger === 'change' && r.status === 'succeeded' && r.counts.created === 1)).toBe(true);
  });

  it('rejects and logs notifications with a wrong clientState or an unknown subscription', async () => {
    const [row] = await subscriptionRows();
    const forged = { value: [{ subscriptionId: row?.id, clientState: 'forged-client-state-value', changeType: 'updated', resource: 'Users/x' }] };
    const wrongState = await post('/graph/notifications', forged);
    expect(wrongState.status).toBe(403);
    expect(((await wrongState.json()) as { error: { code: string } }).error.code).toBe('notification_rejected');
    const unknown = await post('/graph/notifications', { value: [{ subscriptionId: 'not-ours', clientState: 'x', changeType: 'updated' }] });
    expect(unknown.status).toBe(403);
    const lifecycle = await post('/graph/lifecycle', { value: [{ subscriptionId: row?.id, clientState: 'nope', lifecycleEvent: 'subscriptionRemoved' }] });
    expect(lifecycle.status).toBe(403);
    expect((await subscriptionRows()).map((r) => r.id)).toContain(row?.id);
    const rejected = world.server.logs.filter((l) => l.includes('Graph notification rejected'));
    expect(rejected.length).toBeGreaterThanOrEqual(3);
    expect(world.server.logs.join('\n')).not.toContain('forged-client-state-value');
    const audit = await world.json<{ items: Array<{ action: string; target: string }> }>('/api/v1/audit-log');
    expect(audit.body.items.filter((a) => a.action === 'graph.notification.rejected' && a.target === row?.id)).toHaveLength(1);
    expect(audit.body.items.some((a) => a.action === 'graph.lifecycle.rejected')).toBe(true);
  });

  it('answers a validation request with the token as text/plain and refuses malformed ones', async () => {
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 42';
    const ok = await fetch(`${world.server.url}/graph/notifications?validationToken=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe(token);
    const bad = await fetch(`${world.server.url}/graph/lifecycle?validationToken=${encodeURIComponent('<script>\u0007')}`, { method: 'POST' });
    expect(bad.status).toBe(400);
    const empty = await fetch(`${world.server.url}/graph/notifications?validationToken=`, { method: 'POST' });
    expect(empty.status).toBe(400);
    expect(world.server.logs.some((l) => l.includes('malformed validationToken'))).toBe(true);
    expect(world.server.logs.join('\n')).not.toContain('reachability for subscription Request-Id: 42');
  });

  it('renews a subscription close to expiry', async () => {
    const [row] = await subscriptionRows();
    const soon = new Date(Date.now() + 24 * 3600_000).toISOString();
    await world.server.store.db.updateTable('graph_subscription').set({ expires_at: soon }).where('id', '=', row?.id ?? '').execute();
    await refreshChangeTracking(world.server.store, 'default');
    const renewed = (await subscriptionRows()).find((r) => r.id === row?.id);
    expect(Date.parse(renewed?.expires_at ?? '')).toBeGreaterThan(Date.now() + 27 * 24 * 3600_000);
    expect(subscriptionsInGraph().find((s) => s.id === row?.id)?.expirationDateTime).toBe(renewed?.expires_at);
  });

  it('handles lifecycle events: reauthorize, recreate a removed subscription, catch up after missed', async () => {
    const before = await subscriptionRows();
    const users = before.find((r) => r.resource === 'users');
    const runsBefore = (await world.runs()).length;
    await world.emu.services.subscriptions.lifecycle(users?.id ?? '', 'reauthorizationRequired');
    await eventually(() => Promise.resolve(world.emu.services.subscriptions.record(users?.id ?? '').needsReauth === false));
    await world.emu.services.subscriptions.lifecycle(users?.id ?? '', 'subscriptionRemoved');
    const recreated = await eventually(async () => (await subscriptionRows()).find((r) => r.resource === 'users' && r.id !== users?.id));
    expect(subscriptionsInGraph().map((s) => s.id)).toContain(recreated.id);
    await world.emu.services.subscriptions.lifecycle(recreated.id, 'missed');
    await eventually(async () => (await world.runs()).length >= runsBefore + 2);
    await world.idle();
    // A user created now still arrives through the recreated subscription.
    const user = world.emu.ops.createUser({ displayName: 'Rita Recreated' });
    await eventually(async () => (await world.extensions()).find((e) => e.entraObjectId === user.id));
  });

  it('keeps one subscription per resource when two instances reconcile at once', async () => {
    const { store, ctx, database } = world.server;
    await dropTenantSubscriptions({ store, config: ctx.config }, 'default');
    expect(subscriptionsInGraph()).toEqual([]);
    // Another instance: its own pool on the same PostgreSQL (SQLite has one process: the same store).
    const other = store.dialect === 'postgres' ? await openStore(database) : store;
    try {
      const ensure = (on: typeof store) => ensureSubscriptions({ store: on, config: ctx.config }, 'default', world.publicUrl ?? '', Date.now());
      await Promise.all([ensure(store), ensure(other)]);
    } finally {
      if (other !== store) await other.close();
    }
    const rows = await subscriptionRows();
    expect(rows.map((r) => r.resource)).toEqual(['groups', 'users']);
    expect(subscriptionsInGraph().map((s) => s.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('keeps the longest-lived of duplicate subscriptions and deletes the others, in Graph too', async () => {
    const { store, ctx } = world.server;
    const deps = { store, config: ctx.config };
    const stale = (await subscriptionRows()).find((r) => r.resource === 'users');
    await createSubscription(store, await graphForTenant(deps, 'default'), 'default', 'users', world.publicUrl ?? '', Date.now());
    // Due for renewal: renewing it would keep both.
    await store.db.updateTable('graph_subscription').set({ expires_at: new Date(Date.now() + 3600_000).toISOString() }).where('id', '=', stale?.id ?? '').execute();
    await ensureSubscriptions(deps, 'default', world.publicUrl ?? '', Date.now());
    const rows = await subscriptionRows();
    expect(rows.map((r) => r.resource)).toEqual(['groups', 'users']);
    expect(rows.map((r) => r.id)).not.toContain(stale?.id);
    expect(subscriptionsInGraph().map((s) => s.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });
});
