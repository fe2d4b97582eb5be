import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presenceServiceFor, type PresenceService } from '../../../server/presence/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { startSsoEnv, type SessionBody, type SsoEnv } from '../sso/support.js';

let env: SsoEnv;
let service: PresenceService;
let session: SessionBody;
let extensionId: string;
let oid: string;

interface Sse {
  id?: string;
  event?: string;
  data?: string;
}

/** An open SSE connection; `next()` resolves with the next event (comments skipped). */
async function openStream(lastEventId?: string) {
  const response = await fetch(`${env.server.url}/api/v1/me/status/stream`, {
    headers: { authorization: `Bearer ${session.accessToken}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
  });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<Sse | 'closed'> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
          if (fields.data !== undefined) return fields;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return 'closed';
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => reader.cancel(),
  };
}
const statusOf = (e: Sse | 'closed') => (e === 'closed' ? 'closed' : (JSON.parse(e.data ?? '{}') as { status?: string }).status);
const idOf = (e: Sse | 'closed') => (e === 'closed' ? expect.fail('stream closed') : (e.id ?? expect.fail('event without id')));
const put = (path: string, body: unknown) =>
  fetch(`${env.server.url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function teams(availability: string, activity: string): Promise<void> {
  env.emu.ops.setPresence(oid, { availability, activity });
  await service.pollTeams(DEFAULT_TENANT);
}

beforeAll(async () => {
  env = await startSsoEnv({ tunables: { heartbeatMs: 60_000 } });
  extensionId = (await env.addExtension({ number: '2001' })).id;
  oid = env.user(0).oid;
  session = (await (await env.post('/api/v1/sso/token', { idToken: await env.idToken() })).json()) as SessionBody;
  service = presenceServiceFor(env.server.store) ?? expect.fail('no presence service');
  const saved = await env.server.admin('/api/v1/settings/presence-sync', { method: 'PUT', body: { enabled: true, pollSeconds: 3600 } });
  expect(saved.status).toBe(200);
});
afterAll(() => env.stop());

describe('presence for a signed-in user', () => {
  it('applies a mapping the user edits through /me at the next poll', async () => {
    expect((await put('/api/v1/me/presence-mapping', { enabled: true })).status).toBe(200);
    await teams('Busy', 'Busy');
    const me = async () => ((await (await env.get('/api/v1/me/status', session.accessToken)).json()) as { status: string }).status;
    expect(await me()).toBe('do_not_disturb');
    expect((await put('/api/v1/me/presence-mapping', { enabled: true, availability: { Busy: 'away' } })).status).toBe(200);
    await service.pollTeams(DEFAULT_TENANT);
    expect(await me()).toBe('away');
  });

  it('pushes Teams changes on the status stream and resumes with Last-Event-ID after a reconnect', async () => {
    const first = await openStream();
    expect(statusOf(await first.next())).toBe('away');
    await teams('Available', 'Available');
    const live = await first.next();
    expect(statusOf(live)).toBe('available');
    await first.close();
    await teams('DoNotDisturb', 'Presenting');
    await teams('Offline', 'OffWork');
    const second = await openStream(idOf(live));
    expect([statusOf(await second.next()), statusOf(await second.next())]).toEqual(['do_not_disturb', 'off_work']);
    await teams('Away', 'Away');
    expect(statusOf(await second.next())).toBe('away');
    await second.close();
  });

  it('ends the stream of a user removed from sync and stops polling them', async () => {
    const stream = await openStream();
    expect(statusOf(await stream.next())).toBe('away');
    await env.server.store.db.deleteFrom('extension').where('id', '=', extensionId).execute();
    const end = await stream.next();
    expect(end).toMatchObject({ event: 'end' });
    expect(await stream.next()).toBe('closed');
    expect((await service.pollTeams(DEFAULT_TENANT)).users).toBe(0);
  });
});
