import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_PRESENCE_MAPPING,
  statusBusFor,
  TEAMS_ACTIVITIES,
  TEAMS_AVAILABILITIES,
  type PresenceHealthItem,
  type StatusEvent,
} from '../../../server/presence/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { startReceiver } from '../webhooks/receiver.js';
import { startPresenceEnv, type PresenceEnv, type PresenceUser } from './support.js';

let env: PresenceEnv;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const user = (i: number): PresenceUser => env.users[i] ?? expect.fail(`no user ${i}`);
const poll = () => env.service.pollTeams(DEFAULT_TENANT);
const setStatus = (u: PresenceUser, status: string) => env.json(`/api/v1/extensions/${u.extensionId}/status`, { method: 'PUT', body: { status } });
const lastSeq = () => env.emu.ops.requests().at(-1)?.seq ?? 0;

beforeAll(async () => {
  env = await startPresenceEnv({ users: 900, extensions: 700 });
  receiver = await startReceiver();
  const endpoint = await env.server.admin('/api/v1/webhook-endpoints', { body: { url: receiver.url, events: ['extension_status.changed'] } });
  expect(endpoint.status).toBe(201);
  const bulk = await env.json<{ updated: number }>('/api/v1/presence-mappings', { method: 'PUT', body: { extensionIds: 'all', mapping: { enabled: true } } });
  expect(bulk).toEqual({ status: 200, body: { updated: 700 } });
  // A known starting point for everyone: a value that maps to no_change.
  for (const u of env.users) env.teams(u, 'PresenceUnknown', 'PresenceUnknown');
  await env.settings({ enabled: true });
  await poll();
}, 120_000);
afterAll(async () => {
  await receiver.close();
  await env.stop();
});

describe('polling getPresencesByUserId', () => {
  it('asks for all 700 users in two calls of at most 650 ids and applies changes in the second batch', async () => {
    env.teams(user(699), 'DoNotDisturb', 'Presenting');
    const since = lastSeq();
    const report = await poll();
    const calls = env.emu.ops.requests({ path: '/communications/getPresencesByUserId', since });
    expect(calls.map((c) => [c.method, c.status])).toEqual([['POST', 200], ['POST', 200]]);
    expect(report).toMatchObject({ users: 700, batches: 2, errors: 0, error: null });
    expect(await env.status(user(699))).toMatchObject({ status: 'do_not_disturb', source: 'teams', teamsAvailability: 'DoNotDisturb', teamsActivity: 'Presenting' });
  });

  it('spreads the calls of a cycle evenly over it', async () => {
    const { createPresenceService } = await import('../../../server/presence/index.js');
    let now = 1_000_000;
    const waits: number[] = [];
    const service = createPresenceService({
      store: env.server.store,
      config: env.server.ctx.config,
      clock: {
        now: () => now,
        sleep: (ms) => {
          now += ms;
          waits.push(ms);
          return Promise.resolve();
        },
      },
    });
    const report = await service.pollTeams(DEFAULT_TENANT, { spread: true });
    expect(report).toMatchObject({ batches: 2, cycleMs: 3_600_000 });
    expect(waits).toEqual([1_800_000]);
  });
});

describe('mapping', () => {
  const activityOf: Record<string, string> = { AvailableIdle: 'Available', BusyIdle: 'Busy' };
  const availabilityOf: Record<string, string> = {
    InACall: 'Busy', InAConferenceCall: 'Busy', InAMeeting: 'Busy', Presenting: 'DoNotDisturb',
    UrgentInterruptionsOnly: 'DoNotDisturb', OutOfOffice: 'Away', OffWork: 'Offline', Inactive: 'AvailableIdle',
  };

  it('applies every default availability and activity mapping; no_change leaves the status alone', async () => {
    const cases = [
      ...TEAMS_AVAILABILITIES.map((a) => ({ availability: a, activity: activityOf[a] ?? a, expected: DEFAULT_PRESENCE_MAPPING.availability[a] })),
      ...TEAMS_ACTIVITIES.map((a) => ({ availability: availabilityOf[a] ?? 'Busy', activity: a, expected: DEFAULT_PRESENCE_MAPPING.activity[a] ?? 'missing' })),
    ];
    expect(cases).toHaveLength(17);
    for (const [i, c] of cases.entries()) {
      expect((await setStatus(user(i), 'lunch')).status).toBe(200);
      env.teams(user(i), c.availability, c.activity);
    }
    await poll();
    for (const [i, c] of cases.entries()) {
      const status = await env.status(user(i));
      expect({ ...c, got: status.status }).toEqual({ ...c, got: c.expected === 'no_change' ? 'lunch' : c.expected });
      expect(status.source).toBe(c.expected === 'no_change' ? 'admin' : 'teams');
    }
  });

  it('uses activity overrides of a per-user mapping, and none when the mapping has an empty activity list', async () => {
    const [a, b, c] = [user(20), user(21), user(22)];
    await env.json(`/api/v1/extensions/${a.extensionId}/presence-mapping`, { method: 'PUT', body: { enabled: true, activity: { InAMeeting: 'away' } } });
    await env.json(`/api/v1/extensions/${b.extensionId}/presence-mapping`, { method: 'PUT', body: { enabled: true, activity: {} } });
    for (const u of [a, b, c]) await setStatus(u, 'lunch');
    env.teams(a, 'Busy', 'InAMeeting');
    env.teams(b, 'Offline', 'OffWork');
    env.teams(c, 'Offline', 'OffWork');
    await poll();
    expect((await env.status(a)).status).toBe('away');
    expect((await env.status(b)).status).toBe('lunch');
    expect((await env.status(c)).status).toBe('off_work');
  });

  it('applies an edited mapping at the next poll, with no Teams change and no restart', async () => {
    const u = user(23);
    env.teams(u, 'Busy', 'Busy');
    await poll();
    expect((await env.status(u)).status).toBe('do_not_disturb');
    const put = await env.json(`/api/v1/extensions/${u.extensionId}/presence-mapping`, { method: 'PUT', body: { enabled: true, availability: { Busy: 'lunch' } } });
    expect(put.status).toBe(200);
    await poll();
    expect(await env.status(u)).toMatchObject({ status: 'lunch', source: 'teams' });
  });

  it('never overrides a protected manual status; an unprotected one lasts until Teams changes', async () => {
    const u = user(24);
    expect((await setStatus(u, 'business_trip')).status).toBe(200);
    env.teams(u, 'Available', 'Available');
    await poll();
    expect(await env.status(u)).toMatchObject({ status: 'business_trip', source: 'admin' });
    await setStatus(u, 'lunch');
    await poll();
    expect((await env.status(u)).status).toBe('lunch');
    env.teams(u, 'Busy', 'InACall');
    await poll();
    expect((await env.status(u)).status).toBe('do_not_disturb');
  });
});

describe('changes are pushed once', () => {
  it('publishes one bus event and one webhook per real change, none for repeated polls or repeated manual statuses', async () => {
    const u = user(25);
    const events: StatusEvent[] = [];
    const unsubscribe = statusBusFor(env.server.store).subscribe(DEFAULT_TENANT, u.extensionId, (e) => events.push(e));
    const before = receiver.received.length;
    env.teams(u, 'Away', 'Away');
    for (let i = 0; i < 3; i++) await poll();
    env.teams(u, 'BeRightBack', 'BeRightBack'); // another Teams value, same status (away)
    await poll();
    await setStatus(u, 'lunch');
    await setStatus(u, 'lunch');
    unsubscribe();
    expect(events.map((e) => [e.status.status, e.status.source])).toEqual([['away', 'teams'], ['lunch', 'admin']]);
    type Delivered = { type: string; data: { extensionId: string; status: string } };
    const mine = () => receiver.received.slice(before).map((r) => JSON.parse(r.body) as Delivered).filter((m) => m.data.extensionId === u.extensionId);
    await receiver.until(() => mine().length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(mine().map((m) => [m.type, m.data.status])).toEqual([
      ['extension_status.changed', 'away'],
      ['extension_status.changed', 'lunch'],
    ]);
  });
});

describe('throttling and failures', () => {
  it('honours Retry-After on a 429 from getPresencesByUserId, then applies the answer', async () => {
    const u = user(26);
    env.teams(u, 'DoNotDisturb', 'DoNotDisturb');
    env.emu.ops.setFaults({ rate429: 1, count: 1, retryAfter: 1, paths: ['/v1.0/communications/getPresencesByUserId'] });
    const since = lastSeq();
    try {
      await poll();
    } finally {
      env.emu.ops.clearFaults();
    }
    const calls = env.emu.ops.requests({ path: '/communications/getPresencesByUserId', since });
    // Two batches go out together; the throttled one is retried once Retry-After (1 s) has passed.
    expect(calls.map((c) => c.status).sort()).toEqual([200, 200, 429]);
    const throttled = calls.find((c) => c.status === 429);
    const retried = calls.at(-1);
    expect(Date.parse(retried?.time ?? '') - Date.parse(throttled?.time ?? '')).toBeGreaterThanOrEqual(950);
    expect((await env.status(u)).status).toBe('do_not_disturb');
  });

  it('shows per-user health, paged, with the error of a user Graph no longer knows', async () => {
    const gone = user(27);
    env.emu.ops.deleteUser(gone.oid);
    await poll();
    const page = await env.json<{ items: PresenceHealthItem[]; nextCursor: string | null }>('/api/v1/presence/health?limit=5');
    expect(page.body.items).toHaveLength(5);
    expect(page.body.nextCursor).not.toBeNull();
    const next = await env.json<{ items: PresenceHealthItem[] }>(`/api/v1/presence/health?limit=5&cursor=${page.body.nextCursor ?? ''}`);
    expect((next.body.items[0]?.extensionId ?? '') > (page.body.items[4]?.extensionId ?? '')).toBe(true);
    const errors = await env.json<{ items: PresenceHealthItem[] }>('/api/v1/presence/health?errorsOnly=true&limit=1000');
    expect(errors.body.items.map((i) => i.extensionId)).toEqual([gone.extensionId]);
    expect(errors.body.items[0]).toMatchObject({ enabled: true, lastError: expect.stringContaining('no presence') as string });
    const healthy = (await env.json<{ items: PresenceHealthItem[] }>('/api/v1/presence/health?limit=1000')).body.items.find((i) => i.extensionId === user(26).extensionId);
    expect(healthy).toMatchObject({ teamsAvailability: 'DoNotDisturb', status: 'do_not_disturb', source: 'teams', lastError: null });
  });

  it('stops polling users removed from sync or disabled', async () => {
    await env.server.store.db.deleteFrom('extension').where('id', '=', user(28).extensionId).execute();
    await env.server.store.db.updateTable('extension').set({ enabled: 0 }).where('id', '=', user(29).extensionId).execute();
    expect((await poll()).users).toBe(698);
  });
});

describe('admin routes', () => {
  it('reads and validates settings, mappings and statuses', async () => {
    expect((await env.json('/api/v1/settings/presence-sync')).body).toEqual({
      enabled: true, source: 'teams', pollSeconds: 3600, calendarPollSeconds: 3600, reverse: false, reverseExpiryMinutes: 60, protectedStatuses: ['business_trip', 'off_work'],
    });
    expect((await env.json('/api/v1/settings/presence-sync', { method: 'PUT', body: { enabled: true, pollSeconds: 1 } })).status).toBe(400);
    expect((await env.json('/api/v1/settings/presence-sync', { method: 'PUT', body: { surprise: true } })).status).toBe(400);
    expect((await env.json('/api/v1/extensions/nope/presence-mapping')).status).toBe(404);
    const bulk = await env.json<{ error: { code: string } }>('/api/v1/presence-mappings', { method: 'PUT', body: { extensionIds: [user(30).extensionId, 'nope'], mapping: {} } });
    expect([bulk.status, bulk.body.error.code]).toEqual([400, 'validation_failed']);
    expect((await env.json(`/api/v1/extensions/${user(30).extensionId}/status`, { method: 'PUT', body: { status: 'sleeping' } })).status).toBe(400);
    const mapping = await env.json<typeof DEFAULT_PRESENCE_MAPPING>(`/api/v1/extensions/${user(31).extensionId}/presence-mapping`);
    expect(mapping.body).toEqual({ ...DEFAULT_PRESENCE_MAPPING, enabled: true });
  });
});
