import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusInfo, StreamState, UcBridgeError } from '../../sdk/index.js';
import { setExtensionStatus } from '../../server/presence/index.js';
import { DEFAULT_TENANT } from '../../server/store/index.js';
import { startSsoEnv, type SsoEnv } from '../server/sso/support.js';
import { signedInClient, urlOf } from './support.js';

/**
 * `presence.subscribe` against a real server: the connection is dropped under the SDK (as a
 * network or proxy would), changes happen meanwhile, and the SDK resumes with Last-Event-ID.
 */
let env: SsoEnv;
let extensionId = '';

beforeAll(async () => {
  env = await startSsoEnv({ tunables: { heartbeatMs: 200 } });
  extensionId = (await env.addExtension()).id;
}, 60_000);
afterAll(() => env.stop());

interface StreamCall {
  lastEventId: string | null;
  drop: () => void;
}

/** A fetch whose status-stream connections the test can cut, recording what each one sent. */
function droppableFetch(): { fetch: typeof fetch; streams: StreamCall[] } {
  const streams: StreamCall[] = [];
  return {
    streams,
    fetch: (input, init = {}) => {
      if (!urlOf(input).endsWith('/api/v1/me/status/stream')) return fetch(input, init);
      const cut = new AbortController();
      streams.push({ lastEventId: new Headers(init.headers).get('last-event-id'), drop: () => cut.abort(new TypeError('network connection lost')) });
      const signal = init.signal ? AbortSignal.any([init.signal, cut.signal]) : cut.signal;
      return fetch(input, { ...init, signal });
    },
  };
}

const refusal = (status: number, code: string) =>
  new Response(JSON.stringify({ error: { code, message: `refused: ${code}` } }), { status, headers: { 'content-type': 'application/json' } });

/**
 * A fetch under which the server refuses the first stream connection's token as expired and the
 * first refresh fails (the refresh endpoint overloaded); it logs both, and the rest passes through.
 */
function refusingFetch(log: string[]): typeof fetch {
  let streams = 0;
  let refreshes = 0;
  return async (input, init) => {
    const path = new URL(urlOf(input)).pathname;
    if (path === '/api/v1/me/status/stream' && streams++ === 0) {
      log.push('stream refused');
      return refusal(401, 'session_expired');
    }
    if (path === '/api/v1/sso/refresh' && refreshes++ === 0) {
      log.push('refresh failed');
      return refusal(503, 'service_unavailable');
    }
    if (path === '/api/v1/sso/refresh') log.push('refresh');
    return fetch(input, init);
  };
}

const change = (status: 'away' | 'lunch' | 'off_work' | 'available' | 'do_not_disturb') =>
  setExtensionStatus(env.server.store, DEFAULT_TENANT, extensionId, { status, source: 'pbx' });

describe('presence.subscribe', () => {
  it('reconnects after a dropped connection and resumes with Last-Event-ID, missing nothing', async () => {
    const net = droppableFetch();
    const client = await signedInClient(env, { fetch: net.fetch });
    await change('available');
    const seen: StatusInfo[] = [];
    const states: StreamState[] = [];
    const errors: UcBridgeError[] = [];
    const stop = client.presence.subscribe((s) => seen.push(s), { onStateChange: (s) => states.push(s), onError: (e) => errors.push(e) });

    await expect.poll(() => seen.map((s) => s.status)).toEqual(['available']);
    await change('away');
    await expect.poll(() => seen.map((s) => s.status)).toEqual(['available', 'away']);
    expect(net.streams).toHaveLength(1);
    expect(net.streams[0]?.lastEventId).toBeNull();

    net.streams[0]?.drop();
    await expect.poll(() => states.at(-1)).toBe('reconnecting');
    // Missed while the connection is down; the server replays them after the resumed id.
    await change('lunch');
    await change('off_work');
    await expect.poll(() => seen.map((s) => s.status)).toEqual(['available', 'away', 'lunch', 'off_work']);
    expect(net.streams).toHaveLength(2);
    expect(net.streams[1]?.lastEventId).toMatch(/^[\w-]+\.\d+$/);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);

    await change('do_not_disturb');
    await expect.poll(() => seen.at(-1)?.status).toBe('do_not_disturb');
    stop();
    await expect.poll(() => states.at(-1)).toBe('closed');
    expect(errors).toEqual([]);
  });

  it('refreshes at once after the server refused an expired token, but backs off when that refresh fails', async () => {
    const log: string[] = [];
    const client = await signedInClient(env, { fetch: refusingFetch(log) });
    const errors: UcBridgeError[] = [];
    const stop = client.presence.subscribe(() => undefined, { onStateChange: (s) => log.push(s), onError: (e) => errors.push(e) });
    try {
      await expect.poll(() => log.at(-1)).toBe('open');
      // Retrying the failed refresh at once (no "reconnecting" between) is what burst the refresh endpoint.
      expect(log).toEqual(['connecting', 'stream refused', 'refresh failed', 'reconnecting', 'refresh', 'open']);
      expect(errors).toEqual([]);
    } finally {
      stop();
    }
  });

  it('reports each heartbeat of the server while the stream is open', async () => {
    const client = await signedInClient(env);
    const log: string[] = [];
    const stop = client.presence.subscribe((s) => log.push(s.status), { onHeartbeat: () => log.push('heartbeat') });
    try {
      // This server beats every 200 ms; statuses are not heartbeats.
      await expect.poll(() => log.filter((entry) => entry === 'heartbeat').length).toBeGreaterThanOrEqual(2);
      expect(log[0]).not.toBe('heartbeat');
    } finally {
      stop();
    }
  });

  it('stops and reports when the session is revoked, without reconnecting', async () => {
    const net = droppableFetch();
    const client = await signedInClient(env, { fetch: net.fetch });
    const states: StreamState[] = [];
    const errors: UcBridgeError[] = [];
    client.presence.subscribe(() => undefined, { onStateChange: (s) => states.push(s), onError: (e) => errors.push(e) });
    await expect.poll(() => states).toEqual(['connecting', 'open']);
    await client.signOut();
    await expect.poll(() => errors.map((e) => e.code)).toEqual(['session_revoked']);
    expect(states.at(-1)).toBe('closed');
    expect(net.streams).toHaveLength(1);
  });
});
