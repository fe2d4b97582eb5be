import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionStatusView } from '../../../server/presence/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { eventually, startTlsProxy } from '../jobs/support.js';
import { startPresenceEnv, type PresenceEnv, type PresenceUser } from './support.js';

const RETURN_TO = 'http://127.0.0.1:5999/app';
let env: PresenceEnv;
let proxy: Awaited<ReturnType<typeof startTlsProxy>>;
let signedIn: PresenceUser;
let refreshToken = '';
let accessToken = '';

const user = (i: number): PresenceUser => env.users[i] ?? expect.fail(`no user ${i}`);
const lastSeq = () => env.emu.ops.requests().at(-1)?.seq ?? 0;
const presenceRows = () => env.server.store.db.selectFrom('graph_subscription').selectAll().where('resource', '=', 'presence').execute();
const grantRows = () => env.server.store.db.selectFrom('presence_grant').selectAll().execute();
const presenceReads = (since: number) => env.emu.ops.requests({ path: '/communications/getPresencesByUserId', since });
const notificationsSoFar = () => env.emu.services.subscriptions.deliveries.length;
/** resourceData of the presence notifications delivered after the first `from`. */
const notifiedResourceData = (from: number) =>
  env.emu.services.subscriptions.deliveries
    .slice(from)
    .filter((d) => d.kind === 'notification' && d.status !== null && d.status < 300)
    .flatMap((d) => (d.body as { value: Array<{ resourceData: unknown }> }).value.map((v) => v.resourceData));
const graphSubscriptions = () => env.emu.services.subscriptions.list(env.emu.clientId).filter((s) => s.resource.includes('presences'));
/** The signed-in user's status, once `done` says it arrived. */
const statusOnce = (done: (s: ExtensionStatusView) => boolean) =>
  eventually(async () => {
    const s = await env.status(signedIn);
    return done(s) && s;
  });

/**
 * With the tenant polling every `pollSeconds`: the user changes to `first`, and every attempt of the
 * Graph client's read after the notification (7 with Retry-After 0) is answered 503; then `then`
 * runs with Graph answering again. Faults and poll interval are reset afterwards.
 */
async function afterFailedRead(pollSeconds: number, first: [string, string], then: (since: number) => Promise<void>): Promise<void> {
  await env.settings({ enabled: true, pollSeconds });
  const since = lastSeq();
  env.emu.ops.setFaults({ rate5xx: 1, status5xx: 503, retryAfter: 0, paths: ['/v1.0/communications/getPresencesByUserId'], count: 7 });
  try {
    env.teams(signedIn, ...first);
    await eventually(() => Promise.resolve(presenceReads(since).length >= 7));
    await then(since);
  } finally {
    env.emu.ops.clearFaults();
    await env.settings({ enabled: true });
  }
}

/** The web sign-in of a user, the browser played by fetch (the emulator's authorize page signs the hinted user in). */
async function webSignIn(upn: string): Promise<{ authorizeUrl: URL; fragment: URLSearchParams }> {
  const login = await fetch(`${env.server.url}/sso/login?${new URLSearchParams({ returnTo: RETURN_TO, loginHint: upn })}`, { redirect: 'manual' });
  expect(login.status).toBe(302);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const authorizeUrl = new URL(login.headers.get('location') ?? '');
  const authorized = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(authorized.status).toBe(302);
  const callback = await fetch(authorized.headers.get('location') ?? '', { redirect: 'manual', headers: { cookie } });
  expect(callback.status).toBe(302);
  return { authorizeUrl, fragment: new URLSearchParams(new URL(callback.headers.get('location') ?? '').hash.slice(1)) };
}

beforeAll(async () => {
  env = await startPresenceEnv({ users: 20, extensions: 3, emulator: { notificationDelayMs: 10 }, publicUrl: async (emu) => (proxy = await startTlsProxy(emu)).url });
  proxy.forwardTo(env.server.url);
  env.emu.ops.addRedirectUri(`${proxy.url}/sso/callback`, 'web');
  env.emu.ops.setDelegatedConsent(['Presence.Read.All']);
  signedIn = user(0);
  // Only the signed-in user is followed: any poll of them shows up as a getPresencesByUserId call.
  expect((await env.json(`/api/v1/extensions/${signedIn.extensionId}/presence-mapping`, { method: 'PUT', body: { enabled: true } })).status).toBe(200);
  env.teams(signedIn, 'Available', 'Available');
  expect((await env.json('/api/v1/settings/sso', { method: 'PUT', body: { enabled: true, allowedOrigins: ['http://127.0.0.1:5999'] } })).status).toBe(200);
  await env.settings({ enabled: true });
  await env.service.pollTeams(DEFAULT_TENANT);
}, 60_000);
afterAll(async () => {
  await env.stop();
  await proxy.close();
});

describe('delegated presence subscriptions (PUBLIC_URL set)', () => {
  it('asks for Presence.Read.All and offline_access at web sign-in and keeps the Entra refresh token sealed', async () => {
    const { authorizeUrl, fragment } = await webSignIn(env.emu.state.directory.users.find((u) => u.data.id === signedIn.oid)?.data.userPrincipalName ?? '');
    expect(authorizeUrl.searchParams.get('scope')?.split(' ')).toEqual(['openid', 'profile', 'email', 'offline_access', '00000003-0000-0000-c000-000000000000/Presence.Read.All']);
    refreshToken = fragment.get('refreshToken') ?? '';
    accessToken = fragment.get('accessToken') ?? '';
    expect(refreshToken).toMatch(/^ucb_rt_/);
    const [grant] = await grantRows();
    expect(grant).toMatchObject({ extension_id: signedIn.extensionId, retry_at: null, last_error: null });
    // Sealed in the database; opened, it is the refresh token Entra issued to this user.
    const opened = env.server.store.secrets.open(grant?.refresh_token ?? '', `presence-grant:${DEFAULT_TENANT}:${signedIn.extensionId}`);
    expect(opened).not.toBe(grant?.refresh_token);
    expect(env.emu.services.sessions.refreshGrant(opened)).toMatchObject({ userId: signedIn.oid, clientId: env.emu.clientId });
  });

  it('subscribes the signed-in user with their delegated token, answering the validation handshake', async () => {
    // Changed since the last poll: Graph will not notify it, the subscription's first read finds it (below).
    env.teams(signedIn, 'Away', 'Away');
    const report = await env.service.syncSubscriptions(DEFAULT_TENANT);
    expect(report).toEqual({ created: 1, renewed: 0, failed: 0, active: 1 });
    const [row] = await presenceRows();
    const [sub] = graphSubscriptions();
    expect(sub).toMatchObject({ id: row?.id, changeType: 'updated', notificationUrl: `${proxy.url}/graph/notifications`, lifecycleNotificationUrl: `${proxy.url}/graph/lifecycle` });
    expect(sub?.resource).toBe(`/communications/presences?$filter=id in ('${signedIn.oid}')`);
    expect(row).toMatchObject({ extension_id: signedIn.extensionId });
    expect(row?.client_state).not.toBe(sub?.clientState);
    // A delegated subscription: created by the user, not by the app alone.
    expect(sub?.creatorId).toBe(signedIn.oid);
  });

  it('reads the user once after subscribing, so a Teams change made since the last poll is not missed', async () => {
    const status = await statusOnce((s) => s.status === 'away');
    expect(status).toMatchObject({ source: 'teams', teamsAvailability: 'Away' });
    expect(notifiedResourceData(0)).toEqual([]);
  });

  it('turns a Teams change into the extension status through the notification (basic: it names the user, the server reads the presence), not through polling', async () => {
    const since = lastSeq();
    const delivered = notificationsSoFar();
    env.teams(signedIn, 'DoNotDisturb', 'Presenting');
    const status = await statusOnce((s) => s.status === 'do_not_disturb');
    expect(status).toMatchObject({ source: 'teams', teamsAvailability: 'DoNotDisturb', teamsActivity: 'Presenting' });
    // What Graph sends since June 2024: the user's id, no availability or activity.
    expect(notifiedResourceData(delivered)).toEqual([{ '@odata.type': '#Microsoft.Graph.presence', '@odata.id': `users/${signedIn.oid}/presence`, id: signedIn.oid }]);
    // One app-only read for the notified user.
    expect(presenceReads(since).map((r) => r.status)).toEqual([200]);
    const report = await env.service.pollTeams(DEFAULT_TENANT);
    expect(report).toMatchObject({ users: 0, subscribed: 1, batches: 0 });
    expect(presenceReads(since)).toHaveLength(1);
  });

  it('reads once for changes notified close together, and applies the latest', async () => {
    const since = lastSeq();
    const delivered = notificationsSoFar();
    // Spaced beyond the emulator's 10 ms batching: separate notification requests, inside the server's 1 s window.
    for (const [availability, activity] of [['Busy', 'InACall'], ['Busy', 'InAMeeting'], ['Away', 'Away']] as const) {
      env.teams(signedIn, availability, activity);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const status = await statusOnce((s) => s.teamsAvailability === 'Away');
    expect(status).toMatchObject({ status: 'away', source: 'teams', teamsActivity: 'Away' });
    expect(notifiedResourceData(delivered)).toHaveLength(3);
    expect(presenceReads(since)).toHaveLength(1);
  });

  it('reads again at the poll interval when the read after a notification fails', async () => {
    await afterFailedRead(5, ['DoNotDisturb', 'Presenting'], async (since) => {
      expect((await env.status(signedIn)).status).toBe('away');
      const status = await statusOnce((s) => s.status === 'do_not_disturb');
      expect(status).toMatchObject({ source: 'teams', teamsAvailability: 'DoNotDisturb', teamsActivity: 'Presenting' });
      expect(presenceReads(since).map((r) => r.status)).toEqual([...Array<number>(7).fill(503), 200]);
    });
  });

  it('reads a new notification within its own window while an earlier failed read waits for the poll interval', async () => {
    // An hour: the retry of the failed read cannot be what applies the next change within this test.
    await afterFailedRead(3600, ['BeRightBack', 'BeRightBack'], async (since) => {
      // Graph answers again, and the user changes again.
      env.teams(signedIn, 'Available', 'Available');
      const status = await statusOnce((s) => s.teamsAvailability === 'Available');
      expect(status).toMatchObject({ status: 'available', source: 'teams', teamsActivity: 'Available' });
      expect(presenceReads(since).map((r) => r.status)).toEqual([...Array<number>(7).fill(503), 200]);
    });
  });

  it('applies a mapping the user edits in the SDK at the next poll, though their changes come by notification', async () => {
    const putMapping = (body: unknown) =>
      fetch(`${env.server.url}/api/v1/me/presence-mapping`, { method: 'PUT', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(await env.status(signedIn)).toMatchObject({ status: 'available', teamsAvailability: 'Available' });
    expect((await putMapping({ enabled: true, availability: { Available: 'lunch' } })).status).toBe(200);
    expect(await env.service.pollTeams(DEFAULT_TENANT)).toMatchObject({ users: 1, subscribed: 0, batches: 1, changes: 1 });
    expect(await env.status(signedIn)).toMatchObject({ status: 'lunch', source: 'teams' });
    // Read once: afterwards the subscription brings their changes again.
    expect(await env.service.pollTeams(DEFAULT_TENANT)).toMatchObject({ users: 0, subscribed: 1 });
    expect((await putMapping({ enabled: true })).status).toBe(200);
    await env.service.pollTeams(DEFAULT_TENANT);
    expect(await env.status(signedIn)).toMatchObject({ status: 'available', source: 'teams' });
  });

  it('renews the subscription (with a rotated refresh token) before it expires', async () => {
    const [before] = await grantRows();
    const [row] = await presenceRows();
    await env.server.store.db.updateTable('graph_subscription').set({ expires_at: new Date(Date.now() + 5 * 60_000).toISOString() }).where('id', '=', row?.id ?? '').execute();
    const since = lastSeq();
    expect(await env.service.syncSubscriptions(DEFAULT_TENANT)).toEqual({ created: 0, renewed: 1, failed: 0, active: 1 });
    expect(env.emu.ops.requests({ path: `/subscriptions/${row?.id ?? ''}`, method: 'PATCH', since }).map((r) => r.status)).toEqual([200]);
    const [renewed] = await presenceRows();
    expect(renewed?.id).toBe(row?.id);
    expect(Date.parse(renewed?.expires_at ?? '')).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(graphSubscriptions()[0]?.expirationDateTime).toBe(renewed?.expires_at);
    expect((await grantRows())[0]?.refresh_token).not.toBe(before?.refresh_token);
  });

  it('reads the user once when it renews a subscription that had lapsed (notifications missed)', async () => {
    const [row] = await presenceRows();
    await env.emu.services.subscriptions.lifecycle(row?.id ?? '', 'missed');
    await eventually(async () => Date.parse((await presenceRows())[0]?.expires_at ?? '') <= Date.now());
    // A change whose notification never arrives (every delivery attempt fails).
    const delivered = notificationsSoFar();
    const lost = () => env.emu.services.subscriptions.deliveries.slice(delivered).filter((d) => d.kind === 'notification');
    proxy.forwardTo('http://127.0.0.1:9');
    try {
      env.teams(signedIn, 'Busy', 'Busy');
      await eventually(() => Promise.resolve(lost().length === 4));
    } finally {
      proxy.forwardTo(env.server.url);
    }
    expect(lost().map((d) => d.status)).toEqual([502, 502, 502, 502]);
    expect(await env.service.syncSubscriptions(DEFAULT_TENANT)).toEqual({ created: 0, renewed: 1, failed: 0, active: 1 });
    const status = await statusOnce((s) => s.status === 'do_not_disturb');
    expect(status).toMatchObject({ source: 'teams', teamsAvailability: 'Busy' });
  });

  it('falls back to polling when Graph removes the subscription', async () => {
    const [row] = await presenceRows();
    await env.emu.services.subscriptions.lifecycle(row?.id ?? '', 'subscriptionRemoved');
    await eventually(async () => (await presenceRows()).length === 0);
    env.teams(signedIn, 'Away', 'Away');
    const since = lastSeq();
    const report = await env.service.pollTeams(DEFAULT_TENANT);
    expect(report).toMatchObject({ users: 1, subscribed: 0, batches: 1, changes: 1 });
    expect(env.emu.ops.requests({ path: '/communications/getPresencesByUserId', since })).toHaveLength(1);
    expect(await env.status(signedIn)).toMatchObject({ status: 'away', source: 'teams' });
    // Not retried at once: the user stays on polling until the retry time.
    expect(await env.service.syncSubscriptions(DEFAULT_TENANT)).toEqual({ created: 0, renewed: 0, failed: 0, active: 0 });
    expect((await grantRows())[0]?.last_error).toMatch(/removed/);
  });

  it("records Graph's error code when creating the subscription fails, and stays on polling until the retry time", async () => {
    await env.server.store.db.updateTable('presence_grant').set({ retry_at: null }).execute();
    env.emu.ops.setFaults({ rate5xx: 1, status5xx: 503, retryAfter: 0, paths: ['/v1.0/subscriptions'], count: 1 });
    try {
      expect(await env.service.syncSubscriptions(DEFAULT_TENANT)).toEqual({ created: 0, renewed: 0, failed: 1, active: 0 });
    } finally {
      env.emu.ops.clearFaults();
    }
    const [grant] = await grantRows();
    expect(grant?.last_error).toBe('presence subscription: Creating the presence subscription failed (HTTP 503, serviceNotAvailable).');
    expect(Date.parse(grant?.retry_at ?? '')).toBeGreaterThan(Date.now());
    expect(await presenceRows()).toEqual([]);
  });

  it('forgets the grant when the user signs out', async () => {
    await env.server.store.db.updateTable('presence_grant').set({ retry_at: null }).execute();
    expect(await env.service.syncSubscriptions(DEFAULT_TENANT)).toMatchObject({ created: 1, active: 1 });
    const logout = await fetch(`${env.server.url}/api/v1/sso/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
    expect(logout.status).toBe(204);
    expect(await env.service.syncSubscriptions(DEFAULT_TENANT)).toEqual({ created: 0, renewed: 0, failed: 0, active: 0 });
    expect(await grantRows()).toEqual([]);
    expect(await presenceRows()).toEqual([]);
    expect(await env.service.pollTeams(DEFAULT_TENANT)).toMatchObject({ users: 1, subscribed: 0 });
  });
});
