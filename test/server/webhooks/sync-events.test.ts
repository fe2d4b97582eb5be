import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureWebhookDelivery } from '../../../server/webhooks/index.js';
import { startChangeWorld, type ChangeWorld } from '../jobs/support.js';
import { startReceiver, verifyStandardWebhook } from './receiver.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let world: ChangeWorld;
let receiver: Receiver;
let secret: string;

beforeAll(async () => {
  receiver = await startReceiver();
  world = await startChangeWorld({
    notifications: true,
    beforeSync: async (server) => {
      configureWebhookDelivery(server.store, { retrySchedule: [100, 100, 100], pollMs: 50 });
      const res = await server.admin('/api/v1/webhook-endpoints', { body: { url: receiver.url, events: ['extension.*', 'sync_run.finished'] } });
      secret = ((await res.json()) as { secret: string }).secret;
      receiver.script.push(500); // the first delivery fails and is retried
    },
  });
});
afterAll(async () => {
  await world.stop();
  await receiver.close();
});

const events = () =>
  receiver.received.map((r) => ({ ...r, event: JSON.parse(r.body) as { type: string; data: Record<string, unknown> } }));

describe('webhooks for a directory sync', () => {
  it('delivers signed extension.created events for the initial full sync, and sync_run.finished', async () => {
    const extensions = await world.extensions();
    expect(extensions.length).toBeGreaterThan(5);
    await receiver.until((all) => all.some((r) => r.body.includes('"sync_run.finished"')));
    const created = () => new Set(events().filter((e) => e.event.type === 'extension.created').map((e) => e.event.data.id));
    await receiver.until(() => created().size === extensions.length);
    expect([...created()].sort()).toEqual(extensions.map((e) => e.id).sort());
    for (const r of receiver.received) expect(verifyStandardWebhook(secret, r.headers, r.body)).toBe(true);
    const first = receiver.received[0];
    const retried = () => receiver.received.filter((r) => r.headers['webhook-id'] === first?.headers['webhook-id']);
    // The retry comes ~100 ms after the 500; the other events may all have arrived before it.
    await receiver.until(() => retried().length >= 2);
    expect(retried().length).toBe(2); // 500, then delivered
    const finished = events().find((e) => e.event.type === 'sync_run.finished');
    expect(finished?.event.data).toMatchObject({ trigger: 'initial', status: 'succeeded' });
  });

  it('sends extension.updated when a user changes in Entra', async () => {
    const [target] = await world.extensions();
    world.emu.ops.updateUser(target?.entraObjectId ?? '', { jobTitle: 'Chief Webhook Officer' });
    await receiver.until((all) => all.some((r) => r.body.includes('Chief Webhook Officer')));
    const updated = events().find((e) => e.event.type === 'extension.updated' && e.event.data.id === target?.id);
    expect(updated?.event.data).toMatchObject({ id: target?.id, jobTitle: 'Chief Webhook Officer' });
    expect(verifyStandardWebhook(secret, updated?.headers ?? {}, updated?.body ?? '')).toBe(true);
  });
});

describe('webhooks for local admin changes', () => {
  it('sends extension.created, .updated and .deleted for a local extension managed through the API', async () => {
    const created = await world.json<{ id: string }>('/api/v1/extensions', { method: 'POST', body: { number: '7788', displayName: 'Lobby Phone' } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await world.json(`/api/v1/extensions/${id}`, { method: 'PATCH', body: { displayName: 'Front Desk' } })).status).toBe(200);
    expect((await world.json(`/api/v1/extensions/${id}`, { method: 'DELETE' })).status).toBe(204);
    const mine = () => events().filter((e) => e.event.data.id === id);
    await receiver.until(() => mine().some((e) => e.event.type === 'extension.deleted'));
    // Deliveries run concurrently: arrival order is not the publish order.
    const of = (type: string) => mine().filter((e) => e.event.type === type).map((e) => e.event.data);
    await receiver.until(() => of('extension.created').length > 0 && of('extension.updated').length > 0);
    expect(of('extension.created')).toEqual([expect.objectContaining({ number: '7788', displayName: 'Lobby Phone', source: 'local' })]);
    expect(of('extension.updated')).toEqual([expect.objectContaining({ displayName: 'Front Desk' })]);
    expect(of('extension.deleted')).toEqual([{ id, number: '7788', entraObjectId: null }]);
  });
});
