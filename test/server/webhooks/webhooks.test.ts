import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureWebhookDelivery, publishEvent } from '../../../server/webhooks/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { startReceiver, verifyStandardWebhook } from './receiver.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const TENANT = 'default';

let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer();
  configureWebhookDelivery(server.store, { retrySchedule: [50, 50, 50], pollMs: 50 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await server.stop();
  await receiver.close();
});

async function register(body: Record<string, unknown>) {
  const res = await server.admin('/api/v1/webhook-endpoints', { body });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; secret: string; events: string[]; enabled: boolean };
}

async function deliveries(endpointId: string) {
  const res = await server.admin(`/api/v1/webhook-endpoints/${endpointId}/deliveries`);
  expect(res.status).toBe(200);
  type Delivery = { status: string; attempts: number; eventType: string; responseStatus: number | null; lastError: string | null };
  return ((await res.json()) as { items: Delivery[] }).items;
}

const disable = (id: string) => server.admin(`/api/v1/webhook-endpoints/${id}`, { method: 'PATCH', body: { enabled: false } });

describe('webhook endpoints API', () => {
  it('shows the whsec_ secret once and never again, in no log line', async () => {
    const endpoint = await register({ url: receiver.url, events: ['sync_run.*'] });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const one = (await (await server.admin(`/api/v1/webhook-endpoints/${endpoint.id}`)).json()) as Record<string, unknown>;
    expect(one).toMatchObject({ id: endpoint.id, url: receiver.url, events: ['sync_run.*'], enabled: true, disabledReason: null });
    expect(one).not.toHaveProperty('secret');
    const list = (await (await server.admin('/api/v1/webhook-endpoints')).json()) as { items: Array<{ id: string }> };
    expect(list.items.map((i) => i.id)).toContain(endpoint.id);
    expect(server.logs.join('\n')).not.toContain(endpoint.secret.slice(6));
    expect((await server.admin(`/api/v1/webhook-endpoints/${endpoint.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await server.admin(`/api/v1/webhook-endpoints/${endpoint.id}`)).status).toBe(404);
  });

  it.each([
    ['ftp://pbx.example.com/hook', 'must use http or https'],
    ['http://169.254.169.254/latest/meta-data', 'link-local'],
    // IPv6 forms of it: the URL parser writes the first as [::ffff:a9fe:a9fe].
    ['http://[::ffff:169.254.169.254]/latest/meta-data', 'link-local'],
    ['http://[64:ff9b::a9fe:a9fe]/latest/meta-data', 'link-local'],
    ['http://[::169.254.169.254]/latest/meta-data', 'link-local'],
    ['http://[fd00:ec2::254]/latest/meta-data', 'cloud-metadata'],
    ['http://[::ffff:0.0.0.0]:8080/hook', 'unspecified'],
    ['https://user:pw@pbx.example.com/hook', 'credentials'],
    ['not a url', 'not an absolute URL'],
  ])('refuses %s', async (url, message) => {
    const res = await server.admin('/api/v1/webhook-endpoints', { body: { url } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toContain(message);
  });

  it('accepts loopback and private addresses, also in IPv6 forms', async () => {
    for (const url of ['http://[::ffff:127.0.0.1]:8080/hook', 'http://[::ffff:10.1.2.3]/hook', 'http://[fd12:3456::1]/hook', 'http://[::1]/hook']) {
      const endpoint = await register({ url, events: ['sync_run.*'] });
      await disable(endpoint.id);
    }
  });

  it('refuses unknown event types and unknown fields', async () => {
    const bad = await server.admin('/api/v1/webhook-endpoints', { body: { url: receiver.url, events: ['user.created'] } });
    expect(bad.status).toBe(400);
    const extra = await server.admin('/api/v1/webhook-endpoints', { body: { url: receiver.url, secret: 'mine' } });
    expect(extra.status).toBe(400);
  });
});

describe('delivery', () => {
  it('signs events verifiably, keeps the webhook-id across retries after 500s, and logs each attempt', async () => {
    const endpoint = await register({ url: receiver.url, events: ['extension.*'] });
    receiver.script.push(500, 500);
    const before = receiver.received.length;
    await publishEvent(server.store.db, TENANT, 'extension.created', { id: 'ext-1', number: '1001' });
    await receiver.until((all) => all.length >= before + 3);
    const attempts = receiver.received.slice(before, before + 3);
    for (const attempt of attempts) {
      expect(verifyStandardWebhook(endpoint.secret, attempt.headers, attempt.body)).toBe(true);
      expect(verifyStandardWebhook(endpoint.secret, attempt.headers, attempt.body.replace('1001', '1002'))).toBe(false);
      expect(attempt.headers['content-type']).toBe('application/json');
    }
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    const payload = JSON.parse(attempts[2]?.body ?? '{}') as Record<string, unknown>;
    expect(payload).toMatchObject({ type: 'extension.created', data: { id: 'ext-1', number: '1001' } });
    expect(Date.parse(String(payload.timestamp))).toBeGreaterThan(0);
    await expect.poll(async () => (await deliveries(endpoint.id))[0]).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      responseStatus: 200,
      eventType: 'extension.created',
    });
    await disable(endpoint.id);
  });

  it('only sends the events an endpoint subscribed to', async () => {
    const endpoint = await register({ url: receiver.url, events: ['sync_run.finished'] });
    const written = await publishEvent(server.store.db, TENANT, 'contact.updated', { id: 'c1' });
    expect(written).toBe(0);
    expect(await deliveries(endpoint.id)).toEqual([]);
    await disable(endpoint.id);
  });

  it('never sends to a stored URL that is an IP literal of a forbidden address', async () => {
    const endpoint = await register({ url: receiver.url, events: ['extension_group.*'] });
    // As saved by an older version: 0.0.0.0 reaches this host, where the receiver listens.
    const port = new URL(receiver.url).port;
    await server.store.db.updateTable('webhook_endpoint').set({ url: `http://[::ffff:0.0.0.0]:${port}/hooks` }).where('id', '=', endpoint.id).execute();
    const before = receiver.received.length;
    await publishEvent(server.store.db, TENANT, 'extension_group.created', { id: 'g1' });
    await expect.poll(async () => (await deliveries(endpoint.id))[0]).toMatchObject({ status: 'failed', attempts: 4, responseStatus: null });
    expect((await deliveries(endpoint.id))[0]?.lastError).toContain('not allowed');
    expect(receiver.received.length).toBe(before);
    await disable(endpoint.id);
  });

  it('gives up after the last retry of the schedule', async () => {
    const endpoint = await register({ url: receiver.url, events: ['contact.*'] });
    receiver.script.push(503, 503, 503, 503);
    await publishEvent(server.store.db, TENANT, 'contact.deleted', { id: 'c2' });
    await expect.poll(async () => (await deliveries(endpoint.id))[0]).toMatchObject({
      status: 'failed',
      attempts: 4,
      responseStatus: 503,
    });
    await disable(endpoint.id);
  });

  it('disables the endpoint when the receiver answers 410 Gone', async () => {
    const endpoint = await register({ url: receiver.url, events: ['phonebook.*'] });
    receiver.script.push(410);
    await publishEvent(server.store.db, TENANT, 'phonebook.created', { id: 'pb1' });
    await expect.poll(async () => (await deliveries(endpoint.id))[0]).toMatchObject({ status: 'failed', responseStatus: 410 });
    const view = (await (await server.admin(`/api/v1/webhook-endpoints/${endpoint.id}`)).json()) as Record<string, unknown>;
    expect(view.enabled).toBe(false);
    expect(String(view.disabledReason)).toContain('410');
    expect(await publishEvent(server.store.db, TENANT, 'phonebook.updated', { id: 'pb1' })).toBe(0);
    const ping = await server.admin(`/api/v1/webhook-endpoints/${endpoint.id}/test`, { method: 'POST' });
    expect(ping.status).toBe(409);
  });

  it('sends a test ping, and a rotated secret signs from then on', async () => {
    const endpoint = await register({ url: receiver.url, events: ['sync_run.finished'] });
    const rotated = (await (await server.admin(`/api/v1/webhook-endpoints/${endpoint.id}/secret`, { method: 'POST' })).json()) as {
      secret: string;
    };
    expect(rotated.secret).not.toBe(endpoint.secret);
    const before = receiver.received.length;
    const ping = await server.admin(`/api/v1/webhook-endpoints/${endpoint.id}/test`, { method: 'POST' });
    expect(ping.status).toBe(202);
    await receiver.until((all) => all.length > before);
    const got = receiver.received[before];
    expect(JSON.parse(got?.body ?? '{}')).toMatchObject({ type: 'webhook.ping', data: { endpointId: endpoint.id } });
    expect(verifyStandardWebhook(rotated.secret, got?.headers ?? {}, got?.body ?? '')).toBe(true);
    expect(verifyStandardWebhook(endpoint.secret, got?.headers ?? {}, got?.body ?? '')).toBe(false);
    await disable(endpoint.id);
  });
});
