import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setExtensionStatus, statusBusFor, type PresenceHealthItem, type StatusEvent } from '../../../server/presence/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { holdRequests, startPresenceEnv, type PresenceEnv, type PresenceUser } from './support.js';

let env: PresenceEnv;
const user = (i: number): PresenceUser => env.users[i] ?? expect.fail(`no user ${i}`);
const addEvent = (u: PresenceUser, showAs: string) => env.addEvent(u, showAs);
const removeEvent = (u: PresenceUser, id: string) => env.removeEvent(u, id);
const setStatus = (u: PresenceUser, status: string) => env.json(`/api/v1/extensions/${u.extensionId}/status`, { method: 'PUT', body: { status } });
const pollTeams = () => env.service.pollTeams(DEFAULT_TENANT);
const pollCalendar = () => env.service.pollCalendar(DEFAULT_TENANT);
const callState = (u: PresenceUser, state: string) => env.json<{ error?: { code: string } }>(`/api/v1/extensions/${u.extensionId}/call-state`, { method: 'PUT', body: { state } });

beforeAll(async () => {
  env = await startPresenceEnv({ users: 60, extensions: 16 });
  await env.json('/api/v1/presence-mappings', { method: 'PUT', body: { extensionIds: 'all', mapping: { enabled: true } } });
  for (const u of env.users) env.teams(u, 'Available', 'Available');
  await env.settings({ enabled: true, source: 'both' });
  await pollTeams();
  await pollCalendar();
}, 120_000);
afterAll(() => env.stop());

describe('calendar source', () => {
  it('sets do_not_disturb during a busy event, keeps Teams changes for later, and restores the latest status when it ends', async () => {
    const u = user(0);
    const event = await addEvent(u, 'busy');
    const report = await pollCalendar();
    expect(report).toMatchObject({ kind: 'calendar', users: 16, batches: 1, errors: 0 });
    expect(await env.status(u)).toMatchObject({ status: 'do_not_disturb', source: 'calendar' });
    env.teams(u, 'Away', 'Away');
    await pollTeams();
    expect((await env.status(u)).status).toBe('do_not_disturb');
    await removeEvent(u, event);
    await pollCalendar();
    expect(await env.status(u)).toMatchObject({ status: 'away', source: 'teams', teamsAvailability: 'Away' });

    // An event that stands for the status Teams already set takes it over all the same, so the
    // Teams change made during it comes back when it ends (instead of the old status staying).
    env.teams(u, 'DoNotDisturb', 'DoNotDisturb');
    await pollTeams();
    expect(await env.status(u)).toMatchObject({ status: 'do_not_disturb', source: 'teams' });
    const meeting = await addEvent(u, 'busy');
    await pollCalendar();
    expect(await env.status(u)).toMatchObject({ status: 'do_not_disturb', source: 'calendar' });
    env.teams(u, 'Available', 'Available');
    await pollTeams();
    expect((await env.status(u)).status).toBe('do_not_disturb');
    await removeEvent(u, meeting);
    await pollCalendar();
    expect(await env.status(u)).toMatchObject({ status: 'available', source: 'teams', teamsAvailability: 'Available' });
  });

  it('maps oof to away, workingElsewhere to do_not_disturb, and leaves tentative and free alone', async () => {
    const cases: Array<[number, string, string]> = [[1, 'oof', 'away'], [2, 'workingElsewhere', 'do_not_disturb'], [3, 'tentative', 'available'], [4, 'free', 'available']];
    for (const [i, showAs] of cases) await addEvent(user(i), showAs);
    await pollCalendar();
    for (const [i, showAs, expected] of cases) expect([showAs, (await env.status(user(i))).status]).toEqual([showAs, expected]);
  });

  it('restores the status from before the event, and keeps a status someone set by hand during it', async () => {
    const [a, b] = [user(5), user(6)];
    await setStatus(a, 'lunch');
    const [ea, eb] = [await addEvent(a, 'busy'), await addEvent(b, 'busy')];
    await pollCalendar();
    await setStatus(b, 'away');
    await removeEvent(a, ea);
    await removeEvent(b, eb);
    await pollCalendar();
    expect(await env.status(a)).toMatchObject({ status: 'lunch', source: 'admin' });
    expect(await env.status(b)).toMatchObject({ status: 'away', source: 'admin' });
  });

  it('restores the Teams result stored while getSchedule was slow to answer, not the one read before the call', async () => {
    const u = user(12);
    const event = await addEvent(u, 'busy');
    await pollCalendar();
    expect(await env.status(u)).toMatchObject({ status: 'do_not_disturb', source: 'calendar' });
    await removeEvent(u, event);
    const slow = holdRequests(env.emu, /\/calendar\/getSchedule$/);
    const polling = pollCalendar();
    try {
      await slow.arrived; // the calendar cycle now waits for Graph's answer
      env.teams(u, 'Away', 'Away');
      await pollTeams();
    } finally {
      slow.release();
    }
    await polling;
    expect(await env.status(u)).toMatchObject({ status: 'away', source: 'teams', teamsAvailability: 'Away' });
  });

  it('follows a real Teams change after the user set a status by hand during an event', async () => {
    const u = user(13);
    const event = await addEvent(u, 'busy');
    await pollCalendar();
    await setExtensionStatus(env.server.store, DEFAULT_TENANT, u.extensionId, { status: 'lunch', source: 'user' });
    env.teams(u, 'Away', 'Away');
    await pollTeams();
    expect(await env.status(u)).toMatchObject({ status: 'away', source: 'teams', teamsAvailability: 'Away' });
    await removeEvent(u, event);
    await pollCalendar();
    expect(await env.status(u)).toMatchObject({ status: 'away', source: 'teams' });
  });

  it('never overrides a protected manual status, neither when the event starts nor when it ends', async () => {
    const u = user(7);
    await setStatus(u, 'off_work');
    const event = await addEvent(u, 'busy');
    await pollCalendar();
    expect(await env.status(u)).toMatchObject({ status: 'off_work', source: 'admin' });
    await removeEvent(u, event);
    await pollCalendar();
    env.teams(u, 'Busy', 'InACall');
    await pollTeams();
    expect(await env.status(u)).toMatchObject({ status: 'off_work', source: 'admin' });
  });
});

describe('calendar and Teams errors on health', () => {
  const health = async (u: PresenceUser) =>
    (await env.json<{ items: PresenceHealthItem[] }>('/api/v1/presence/health?limit=100')).body.items.find((i) => i.extensionId === u.extensionId);
  /** Runs `poll` while every call to `path` fails (503 on every retry). */
  async function failing<T>(path: string, poll: () => Promise<T>): Promise<T> {
    env.emu.ops.setFaults({ rate5xx: 1, status5xx: 503, retryAfter: 0, paths: [`re:${path}$`] });
    try {
      return await poll();
    } finally {
      env.emu.ops.clearFaults();
    }
  }
  const calendarFailed = expect.stringMatching(/^calendar poll failed/) as string;

  it('keeps the calendar error apart from the Teams error, each cleared only by its own next read (source both)', async () => {
    const u = user(14);
    expect(await failing('/calendar/getSchedule', pollCalendar)).toMatchObject({ errors: 16 });
    expect(await failing('/communications/getPresencesByUserId', pollTeams)).toMatchObject({ errors: 16 });
    const both = await health(u);
    expect(both).toMatchObject({ calendarError: calendarFailed, teamsError: expect.stringMatching(/^presence poll failed/) as string });
    expect(both?.lastError).toBe(`${both?.teamsError ?? ''}; ${both?.calendarError ?? ''}`);
    await pollTeams();
    expect(await health(u)).toMatchObject({ teamsError: null, calendarError: calendarFailed, lastError: calendarFailed });
    await pollCalendar();
    expect(await health(u)).toMatchObject({ teamsError: null, calendarError: null, lastError: null, lastErrorAt: null });
  });

  it('clears the calendar error at the next calendar read that succeeds for the user (source calendar)', async () => {
    const u = user(15);
    await env.settings({ enabled: true, source: 'calendar' });
    try {
      await failing('/calendar/getSchedule', pollCalendar);
      expect(await health(u)).toMatchObject({ calendarError: calendarFailed });
      expect((await env.json<{ items: PresenceHealthItem[] }>('/api/v1/presence/health?limit=100&errorsOnly=true')).body.items).toHaveLength(16);
      expect(await pollCalendar()).toMatchObject({ errors: 0 });
      expect(await health(u)).toMatchObject({ calendarError: null, lastError: null });
    } finally {
      await env.settings({ enabled: true, source: 'both' });
    }
  });
});

describe('calendar source, a caller without a mailbox', () => {
  it('asks the next user of a batch when the first one has no mailbox, and reports only that user', async () => {
    // getSchedule is asked on the calendar of the batch's first user (by extension id).
    const [caller] = [...env.users].sort((a, b) => a.extensionId.localeCompare(b.extensionId));
    if (!caller) throw new Error('no users');
    env.emu.ops.setMailbox(caller.oid, { enabled: false });
    try {
      expect(await pollCalendar()).toMatchObject({ kind: 'calendar', users: 16, batches: 1, errors: 1 });
      const health = await env.json<{ items: PresenceHealthItem[] }>('/api/v1/presence/health?limit=100');
      const failing = health.body.items.filter((h) => h.lastError?.startsWith('calendar unavailable'));
      expect(failing.map((h) => h.extensionId)).toEqual([caller.extensionId]);
    } finally {
      env.emu.ops.setMailbox(caller.oid, { enabled: true });
    }
    expect(await pollCalendar()).toMatchObject({ errors: 0 });
  });
});

describe('reverse direction (PBX call state → Teams)', () => {
  it('is refused while reverse is off', async () => {
    const res = await callState(user(8), 'busy');
    expect([res.status, res.body.error?.code]).toEqual([409, 'presence_reverse_disabled']);
  });

  it('sets Busy/InACall with our session while a call runs and clears it when idle, without feeding it back', async () => {
    await env.settings({ enabled: true, source: 'both', reverse: true });
    const u = user(9);
    const before = await env.status(u);
    expect(before.status).toBe('available');
    const events: StatusEvent[] = [];
    const unsubscribe = statusBusFor(env.server.store).subscribe(DEFAULT_TENANT, u.extensionId, (e) => events.push(e));
    try {
      const busy = await callState(u, 'busy');
      expect(busy).toMatchObject({ status: 200, body: { state: 'busy', teamsPresence: { availability: 'Busy', activity: 'InACall' } } });
      expect(env.emu.ops.getPresence(u.oid)).toEqual({ availability: 'Busy', activity: 'InACall' });
      const write = env.emu.ops.requests({ path: `/users/${u.oid}/presence/setPresence` });
      expect(write.map((r) => [r.status, r.appId])).toEqual([[200, env.emu.clientId]]);
      await pollTeams();
      expect(await env.status(u)).toEqual(before);
      expect((await callState(u, 'idle')).status).toBe(200);
      expect(env.emu.ops.getPresence(u.oid)).toEqual({ availability: 'Available', activity: 'Available' });
      await pollTeams();
      expect(await env.status(u)).toEqual(before);
      expect(events).toEqual([]);
    } finally {
      unsubscribe();
    }
  });

  it('recognises its own write when the call starts while a poll waits for Graph', async () => {
    const u = user(11);
    const before = await env.status(u);
    expect(before.status).toBe('available');
    env.emu.ops.setFaults({ latencyMs: 1500, paths: ['/v1.0/communications/getPresencesByUserId'] });
    try {
      const polling = pollTeams();
      await new Promise((resolve) => setTimeout(resolve, 200)); // the poll is now waiting for its answer
      expect((await callState(u, 'busy')).status).toBe(200);
      await polling;
    } finally {
      env.emu.ops.clearFaults();
    }
    expect(await env.status(u)).toEqual(before);
    expect((await callState(u, 'idle')).status).toBe(200);
  });

  it('still follows a real Teams change that outranks our session during a call', async () => {
    const u = user(10);
    expect((await callState(u, 'ringing')).status).toBe(200);
    env.teams(u, 'DoNotDisturb', 'Presenting');
    await pollTeams();
    expect(await env.status(u)).toMatchObject({ status: 'do_not_disturb', source: 'teams' });
    expect((await callState(u, 'idle')).status).toBe(200);
    const health = await env.json<{ items: PresenceHealthItem[] }>('/api/v1/presence/health?limit=1000');
    expect(health.body.items.find((i) => i.extensionId === u.extensionId)).toMatchObject({ callState: null, teamsActivity: 'Presenting' });
  });
});
