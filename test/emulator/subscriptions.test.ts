import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
let receiver: Server;
let httpsReceiver: Server;
let base = '';
let httpsBase = '';
const received: { path: string; body: { value: Record<string, unknown>[] } }[] = [];
let echoMode: 'echo' | 'wrong' = 'echo';

/** A webhook receiver: echoes validation tokens, records notifications, answers 202. */
function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const token = url.searchParams.get('validationToken');
    if (token !== null) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(echoMode === 'echo' ? token : 'nope');
      return;
    }
    received.push({ path: url.pathname, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as { value: Record<string, unknown>[] } });
    res.writeHead(202);
    res.end();
  });
}

const listen = (server: Server): Promise<number> => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const inMinutes = (m: number): string => new Date(Date.now() + m * 60_000).toISOString();
const waitFor = async (pred: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeAll(async () => {
  emu = await startTestEmulator({ users: 60, allowHttpNotificationUrls: true, notificationDelayMs: 10 });
  receiver = createHttp(handler);
  base = `http://127.0.0.1:${await listen(receiver)}`;
  const cert = emu.services.ca.issue(['127.0.0.1']);
  httpsReceiver = createHttps({ key: cert.keyPem, cert: cert.certPem }, handler);
  httpsBase = `https://127.0.0.1:${await listen(httpsReceiver)}`;
});
afterAll(async () => {
  await emu.close();
  receiver.close();
  httpsReceiver.close();
});

const create = (body: Record<string, unknown>, admin = false): Promise<Response> => emu.graphFetch('/subscriptions', { method: 'POST', body, admin });

describe('subscriptions', () => {
  it('validation handshake, then change notifications with clientState', async () => {
    const res = await create({ changeType: 'updated,deleted', notificationUrl: `${httpsBase}/graph/notifications`, lifecycleNotificationUrl: `${base}/graph/lifecycle`, resource: 'users', expirationDateTime: inMinutes(60), clientState: 'secret-state' });
    expect(res.status).toBe(201);
    const sub = (await res.json()) as { id: string; applicationId: string; expirationDateTime: string };
    expect(sub.applicationId).toBe(emu.clientId);
    const validations = emu.services.subscriptions.deliveries.filter((d) => d.kind === 'validation');
    expect(validations.map((v) => v.status)).toEqual([200, 200]);
    const target = emu.state.directory.users[4]?.data.id ?? '';
    await emu.graphFetch(`/users/${target}`, { method: 'PATCH', admin: true, body: { jobTitle: 'Notified' } });
    await waitFor(() => received.some((r) => r.path === '/graph/notifications'));
    const note = received.find((r) => r.path === '/graph/notifications')?.body.value[0];
    expect(note).toMatchObject({ subscriptionId: sub.id, changeType: 'updated', clientState: 'secret-state', tenantId: emu.tenantId, resource: `Users/${target}` });
    expect(note?.resourceData).toMatchObject({ id: target, '@odata.type': '#Microsoft.Graph.User' });

    // Renew within the limit; beyond 41,760 minutes is refused.
    const renewed = await emu.graphFetch(`/subscriptions/${sub.id}`, { method: 'PATCH', body: { expirationDateTime: inMinutes(41_000) } });
    expect(renewed.status).toBe(200);
    const tooLong = await emu.graphFetch(`/subscriptions/${sub.id}`, { method: 'PATCH', body: { expirationDateTime: inMinutes(41_761) } });
    expect(tooLong.status).toBe(400);

    // Lifecycle events from the control API.
    const life = (await emu.controlApi(`/subscriptions/${sub.id}/lifecycle`, { body: { event: 'reauthorizationRequired' } })) as { delivered: boolean };
    expect(life.delivered).toBe(true);
    const lc = received.find((r) => r.path === '/graph/lifecycle')?.body.value[0];
    expect(lc).toMatchObject({ subscriptionId: sub.id, lifecycleEvent: 'reauthorizationRequired', clientState: 'secret-state' });
    expect((await emu.graphFetch(`/subscriptions/${sub.id}/reauthorize`, { method: 'POST' })).status).toBe(204);
    await emu.controlApi(`/subscriptions/${sub.id}/lifecycle`, { body: { event: 'subscriptionRemoved' } });
    expect((await emu.graphFetch(`/subscriptions/${sub.id}`)).status).toBe(404);
  });

  it('refuses a wrong validation echo, http URLs when not allowed, app-only presence, and bad change types', async () => {
    echoMode = 'wrong';
    const bad = await create({ changeType: 'updated', notificationUrl: `${base}/n`, resource: 'groups', expirationDateTime: inMinutes(60) });
    echoMode = 'echo';
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('ValidationError');
    emu.services.settings.allowHttpNotificationUrls = false;
    expect((await create({ changeType: 'updated', notificationUrl: `${base}/n`, resource: 'groups', expirationDateTime: inMinutes(60) })).status).toBe(400);
    emu.services.settings.allowHttpNotificationUrls = true;
    const presence = await create({ changeType: 'updated', notificationUrl: `${base}/n`, resource: `/communications/presences?$filter=id in ('${emu.state.directory.users[1]?.data.id ?? ''}')`, expirationDateTime: inMinutes(30) });
    expect(presence.status).toBe(403);
    expect((await create({ changeType: 'created', notificationUrl: `${base}/n`, resource: 'users', expirationDateTime: inMinutes(60) })).status).toBe(400);
    expect((await create({ changeType: 'created', notificationUrl: `${base}/n`, resource: 'users/x/contacts', expirationDateTime: inMinutes(10_081) })).status).toBe(400);
  });

  it('contacts subscriptions see created and deleted contacts', async () => {
    received.length = 0;
    const owner = emu.state.directory.users.find((u) => u.mailbox.enabled && u.data.accountEnabled)?.data.id ?? '';
    const res = await create({ changeType: 'created,updated,deleted', notificationUrl: `${base}/contacts`, resource: `users/${owner}/contacts`, expirationDateTime: inMinutes(600), clientState: 'c' });
    expect(res.status).toBe(201);
    const c = emu.ops.createContact(owner, { givenName: 'Sub', surname: 'Scriber' });
    emu.ops.deleteContact(owner, c.id);
    await waitFor(() => received.some((r) => r.path === '/contacts'));
    const items = received.filter((r) => r.path === '/contacts').flatMap((r) => r.body.value);
    expect(items.map((i) => i.changeType)).toEqual(['created', 'deleted']);
  });
});
