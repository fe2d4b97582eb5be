import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PRESENCE_MAPPING, EXTENSION_STATUSES, setExtensionStatus } from '../../../server/presence/index.js';
import { DEFAULT_TENANT, hashToken, newId, nowIso } from '../../../server/store/index.js';
import { startSsoEnv, type SessionBody, type SsoEnv } from './support.js';

let env: SsoEnv;
let session: SessionBody;
let extensionId: string;

beforeAll(async () => {
  env = await startSsoEnv({ tunables: { heartbeatMs: 200 } });
  extensionId = (await env.addExtension({ number: '2001', department: 'Sales' })).id;
  session = (await (await env.post('/api/v1/sso/token', { idToken: await env.idToken() })).json()) as SessionBody;
});
afterAll(() => env.stop());

const put = (path: string, body: unknown, token = session.accessToken) =>
  fetch(`${env.server.url}${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Reads Server-Sent Events until `count` events (comments included when asked) have arrived. */
async function readEvents(response: Response, count: number, withComments = false): Promise<Array<Record<string, string>>> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: Array<Record<string, string>> = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const key = colon === 0 ? 'comment' : line.slice(0, colon);
        event[key] = line.slice(colon + 1).trim();
      }
      if (event.data !== undefined || (withComments && event.comment !== undefined)) events.push(event);
    }
  }
  await reader.cancel();
  return events;
}

describe('GET /api/v1/me', () => {
  it('returns the user and their extension', async () => {
    const response = await env.get('/api/v1/me', session.accessToken);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { user: Record<string, string>; extension: Record<string, unknown> };
    expect(body.extension).toMatchObject({ id: extensionId, number: '2001', department: 'Sales', enabled: true });
    expect(body.user).toMatchObject({ entraObjectId: env.user(0).oid, entraTenantId: env.emu.tenantId });
  });
});

describe('presence mapping', () => {
  it('starts with the documented defaults', async () => {
    const response = await env.get('/api/v1/me/presence-mapping', session.accessToken);
    expect(await response.json()).toEqual(DEFAULT_PRESENCE_MAPPING);
    expect(Object.keys(DEFAULT_PRESENCE_MAPPING.availability)).toHaveLength(9);
  });

  it('replaces the mapping, filling missing availabilities with defaults', async () => {
    const response = await put('/api/v1/me/presence-mapping', {
      enabled: true,
      availability: { Busy: 'no_change', Offline: 'off_work' },
      activity: { InAMeeting: 'away' },
    });
    expect(response.status).toBe(200);
    const read = (await (await env.get('/api/v1/me/presence-mapping', session.accessToken)).json()) as typeof DEFAULT_PRESENCE_MAPPING;
    expect(read.enabled).toBe(true);
    expect(read.availability).toMatchObject({ Busy: 'no_change', Offline: 'off_work', Available: 'available' });
    expect(read.activity).toEqual({ InAMeeting: 'away' });
  });

  it('rejects unknown statuses and unknown availabilities', async () => {
    const badStatus = await put('/api/v1/me/presence-mapping', { availability: { Busy: 'gone_fishing' } });
    expect(badStatus.status).toBe(400);
    const badKey = await put('/api/v1/me/presence-mapping', { availability: { Sleeping: 'away' } });
    expect(badKey.status).toBe(400);
  });
});

describe('status', () => {
  it('reads the current status (available by default, then what was set)', async () => {
    const before = (await (await env.get('/api/v1/me/status', session.accessToken)).json()) as { status: string; source: string };
    expect(before).toMatchObject({ status: 'available', source: 'default' });
    await setExtensionStatus(env.server.store, DEFAULT_TENANT, extensionId, { status: 'lunch', source: 'pbx' });
    const after = (await (await env.get('/api/v1/me/status', session.accessToken)).json()) as { status: string; source: string };
    expect(after).toMatchObject({ status: 'lunch', source: 'pbx', extensionId });
  });

  it('streams changes and resumes from Last-Event-ID', async () => {
    const stream = await env.get('/api/v1/me/status/stream', session.accessToken);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const publisher = setTimeout(() => {
      void setExtensionStatus(env.server.store, DEFAULT_TENANT, extensionId, { status: 'do_not_disturb', source: 'teams', teamsAvailability: 'Busy' });
    }, 100);
    const [snapshot, change] = await readEvents(stream, 2);
    clearTimeout(publisher);
    expect(JSON.parse(snapshot?.data ?? '{}')).toMatchObject({ status: 'lunch' });
    expect(change?.event).toBe('status');
    expect(JSON.parse(change?.data ?? '{}')).toMatchObject({ status: 'do_not_disturb', teamsAvailability: 'Busy' });

    // Missed while disconnected: two changes; resuming replays exactly those, in order.
    await setExtensionStatus(env.server.store, DEFAULT_TENANT, extensionId, { status: 'away', source: 'teams' });
    await setExtensionStatus(env.server.store, DEFAULT_TENANT, extensionId, { status: 'off_work', source: 'calendar' });
    const resumed = await env.get('/api/v1/me/status/stream', session.accessToken, { 'last-event-id': change?.id ?? '' });
    const missed = await readEvents(resumed, 2);
    expect(missed.map((e) => (JSON.parse(e.data ?? '{}') as { status: string }).status)).toEqual(['away', 'off_work']);

    // An id from another process start gets the current status instead.
    const stale = await env.get('/api/v1/me/status/stream', session.accessToken, { 'last-event-id': 'oldboot.12' });
    const [current] = await readEvents(stale, 1);
    expect(JSON.parse(current?.data ?? '{}')).toMatchObject({ status: 'off_work', source: 'calendar' });
  });

  it("does not leak another extension's changes", async () => {
    const other = await env.addExtension({ entra_object_id: env.user(1).oid, number: '2002' });
    const stream = await env.get('/api/v1/me/status/stream', session.accessToken);
    setTimeout(() => {
      void setExtensionStatus(env.server.store, DEFAULT_TENANT, other.id, { status: 'business_trip', source: 'admin' });
      setTimeout(() => void setExtensionStatus(env.server.store, DEFAULT_TENANT, extensionId, { status: 'available', source: 'user' }), 50);
    }, 100);
    const [, next] = await readEvents(stream, 2);
    expect(JSON.parse(next?.data ?? '{}')).toMatchObject({ extensionId, status: 'available' });
  });

  it('sets my status by hand: stored with source user, pushed to my stream, audited', async () => {
    const stream = await env.get('/api/v1/me/status/stream', session.accessToken);
    const setting = new Promise<Response>((resolve) => setTimeout(() => resolve(put('/api/v1/me/status', { status: 'business_trip' })), 100));
    const [, pushed] = await readEvents(stream, 2);
    const response = await setting;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ extensionId, status: 'business_trip', source: 'user' });
    expect(JSON.parse(pushed?.data ?? '{}')).toMatchObject({ extensionId, status: 'business_trip', source: 'user' });
    const stored = (await (await env.server.admin(`/api/v1/extensions/${extensionId}/status`)).json()) as { status: string; source: string };
    expect(stored).toMatchObject({ status: 'business_trip', source: 'user' });
    const audit = await env.server.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.status_set').orderBy('at', 'desc').executeTakeFirst();
    expect(audit).toMatchObject({ actor: `user:${extensionId}`, tenant_id: DEFAULT_TENANT });
    expect(JSON.parse(audit?.details ?? '{}')).toMatchObject({ status: 'business_trip' });
    expect(audit?.details).not.toContain(session.accessToken);
  });

  it('accepts every extension status and nothing else', async () => {
    for (const status of EXTENSION_STATUSES) {
      expect(await (await put('/api/v1/me/status', { status })).json()).toMatchObject({ status, source: 'user' });
    }
    expect((await put('/api/v1/me/status', { status: 'gone_fishing' })).status).toBe(400);
    expect((await put('/api/v1/me/status', { status: 'away', source: 'admin' })).status).toBe(400);
    expect((await put('/api/v1/me/status', { status: 'away' }, 'ucb_at_not-a-real-token-at-all')).status).toBe(401);
  });

  it('sends heartbeats and ends the stream when the session is revoked', async () => {
    const own = (await (await env.post('/api/v1/sso/token', { idToken: await env.idToken() })).json()) as SessionBody;
    const stream = await env.get('/api/v1/me/status/stream', own.accessToken);
    setTimeout(() => void env.post('/api/v1/sso/logout', { refreshToken: own.refreshToken }), 500);
    const events = await readEvents(stream, 10, true);
    expect(events.some((e) => e.comment === 'ping')).toBe(true);
    const last = events[events.length - 1];
    expect(last?.event).toBe('end');
    expect(JSON.parse(last?.data ?? '{}')).toEqual({ code: 'session_revoked' });
  });

  it('ends the stream when the sign-in expires (its refresh token can renew nothing any more)', async () => {
    const own = (await (await env.post('/api/v1/sso/token', { idToken: await env.idToken() })).json()) as SessionBody;
    const stream = await env.get('/api/v1/me/status/stream', own.accessToken);
    const family = await env.server.store.db.selectFrom('session').select('family_id').where('refresh_hash', '=', hashToken(own.refreshToken)).executeTakeFirstOrThrow();
    setTimeout(() => void env.server.store.db.updateTable('session').set({ refresh_expires_at: '2000-01-01T00:00:00.000Z' }).where('family_id', '=', family.family_id).execute(), 500);
    const events = await readEvents(stream, 10, true);
    expect(events[events.length - 1]).toMatchObject({ event: 'end', data: JSON.stringify({ code: 'session_revoked' }) });
  });
});

describe('contacts', () => {
  beforeAll(async () => {
    const db = env.server.store.db;
    const now = nowIso();
    const book = (kind: string, name: string, owner: string | null) => ({
      id: newId(), tenant_id: DEFAULT_TENANT, kind, name, owner_extension_id: owner, source_mailbox_id: null, source: 'entra', read_only: 1 as const, created_at: now, updated_at: now,
    });
    const personal = book('personal', 'Personal', extensionId);
    const shared = book('company', 'Suppliers', null);
    const hidden = book('company', 'Board', null);
    await db.insertInto('phonebook').values([personal, shared, hidden]).execute();
    await db.insertInto('phonebook_visibility').values({ tenant_id: DEFAULT_TENANT, phonebook_id: shared.id, subject_kind: 'extension', subject_id: extensionId }).execute();
    const contact = (phonebookId: string, first: string, last: string, company: string, mobile: string) => ({
      id: newId(), tenant_id: DEFAULT_TENANT, phonebook_id: phonebookId, source_id: newId(), folder_id: null, first_name: first, last_name: last,
      display_name: `${first} ${last}`, company, job_title: '', mobile, home_phone: '', business_phone: '', email: '',
      search_digits: mobile.replace(/\D/g, ''), change_key: null, updated_at: now,
    });
    await db.insertInto('contact').values([
      contact(personal.id, 'Anna', 'Berg', 'Acme', '+49 170 1234567'),
      contact(shared.id, 'Carl', 'Dahl', 'Globex', '+1 (555) 010-2000'),
      contact(hidden.id, 'Anna', 'Secret', 'Board', '+49 170 7654321'),
    ]).execute();
  });

  const search = async (q: string) => {
    const response = await env.get(`/api/v1/me/contacts?q=${encodeURIComponent(q)}`, session.accessToken);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Array<{ displayName: string }> }).items.map((c) => c.displayName);
  };

  it('searches personal and visible company phonebooks by name, company and number', async () => {
    expect(await search('anna')).toEqual(['Anna Berg']);
    expect(await search('globex')).toEqual(['Carl Dahl']);
    expect(await search('170 123')).toEqual(['Anna Berg']);
    expect(await search('555-010')).toEqual(['Carl Dahl']);
    expect(await search('')).toEqual(['Anna Berg', 'Carl Dahl']);
  });
});

describe('CORS', () => {
  it('answers preflights and requests from allowed origins only', async () => {
    const preflight = await fetch(`${env.server.url}/api/v1/me/presence-mapping`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5999', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5999');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const allowed = await env.get('/api/v1/me', session.accessToken, { origin: 'http://127.0.0.1:5999' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5999');
    const other = await env.get('/api/v1/me', session.accessToken, { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const token = await fetch(`${env.server.url}/api/v1/sso/token`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:5999' } });
    expect(token.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5999');
  });
});

describe('SSO settings', () => {
  it('has typed defaults and validates origins', async () => {
    const current = (await (await env.server.admin('/api/v1/settings/sso')).json()) as Record<string, unknown>;
    expect(current).toEqual({ enabled: true, allowedOrigins: ['http://127.0.0.1:5999'], webClientUrl: null });
    const bad = await env.setSso({ enabled: true, allowedOrigins: ['https://app.example.com/path'] });
    expect(bad.status).toBe(400);
    const unknown = await env.setSso({ enabled: true, surprise: 1 });
    expect(unknown.status).toBe(400);
    const anonymous = await fetch(`${env.server.url}/api/v1/settings/sso`);
    expect(anonymous.status).toBe(401);
  });
});
