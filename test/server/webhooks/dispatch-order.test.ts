import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureWebhookDelivery, publishEvent, publishEvents } from '../../../server/webhooks/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';

const TENANT = 'default';

/** A receiver that answers each request through `answer` (or never), recording order and overlap. */
async function startScriptedReceiver(answer: (res: ServerResponse) => void) {
  const ids: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      ids.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { id: string } }).data.id);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      res.on('finish', () => inFlight--);
      answer(res);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    ids,
    maxInFlight: () => maxInFlight,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

async function register(url: string, events: string[]): Promise<string> {
  const res = await server.admin('/api/v1/webhook-endpoints', { body: { url, events } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const disable = (id: string) => server.admin(`/api/v1/webhook-endpoints/${id}`, { method: 'PATCH', body: { enabled: false } });

describe('webhook dispatch', () => {
  it('gives a receiver that never answers one slot: another endpoint gets its events meanwhile', async () => {
    configureWebhookDelivery(server.store, { retrySchedule: [60_000], pollMs: 50, timeoutMs: 3_000, concurrency: 2 });
    const silent = await startScriptedReceiver(() => undefined);
    const answering = await startScriptedReceiver((res) => res.end());
    const silentId = await register(silent.url, ['contact.*']);
    const answeringId = await register(answering.url, ['extension.*']);
    for (let i = 0; i < 6; i++) await publishEvent(server.store.db, TENANT, 'contact.updated', { id: `c${i}` });
    await publishEvent(server.store.db, TENANT, 'extension.updated', { id: 'e1' });
    await expect.poll(() => answering.ids, { timeout: 20_000 }).toEqual(['e1']);
    // Before: the oldest due deliveries of all endpoints, two at a time, each pair waiting out its timeout.
    expect(silent.ids.length).toBeLessThanOrEqual(1);
    await Promise.all([disable(silentId), disable(answeringId)]);
    await Promise.all([silent.close(), answering.close()]);
  });

  it("sends one endpoint's events one at a time, in the order they happened", async () => {
    configureWebhookDelivery(server.store, { retrySchedule: [50], pollMs: 50 });
    // Answers that take different times: concurrent sends would arrive out of order.
    const receiver = await startScriptedReceiver((res) => setTimeout(() => res.end(), Math.floor(Math.random() * 30)));
    const id = await register(receiver.url, ['extension_status.*']);
    const ids = Array.from({ length: 20 }, (_, i) => `s${i}`);
    await publishEvents(server.store.db, TENANT, ids.map((extensionId) => ({ type: 'extension_status.changed' as const, data: { id: extensionId } })));
    await expect.poll(() => receiver.ids.length, { timeout: 20_000 }).toBe(20);
    expect(receiver.ids).toEqual(ids);
    expect(receiver.maxInFlight()).toBe(1);
    await disable(id);
    await receiver.close();
  });

  it('holds back the other deliveries of an unavailable receiver, then sends them once it answers', async () => {
    configureWebhookDelivery(server.store, { retrySchedule: [60_000], pollMs: 50, holdMs: 2_000 });
    let down = true;
    const receiver = await startScriptedReceiver((res) => {
      res.statusCode = down ? 503 : 200;
      res.end();
    });
    const id = await register(receiver.url, ['phonebook.*']);
    for (let i = 0; i < 5; i++) await publishEvent(server.store.db, TENANT, 'phonebook.updated', { id: `p${i}` });
    await expect.poll(() => receiver.ids.length).toBe(1);
    down = false;
    // Held: nothing more is tried until the hold ends (before, the next four went out at once, each a 503).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.ids).toEqual(['p0']);
    // The hold ends: the next delivery is tried, succeeds, and the rest follow (p0 waits for its retry).
    await expect.poll(() => receiver.ids, { timeout: 15_000 }).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    await disable(id);
    await receiver.close();
  });
});
