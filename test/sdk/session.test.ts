import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  createUcBridgeError,
  localLock,
  memorySessionStore,
  UcBridgeError,
  type AsyncSessionStore,
  type SessionTokensWithExpiry,
  type WithLock,
} from '../../sdk/index.js';
import { startSsoEnv, type SsoEnv } from '../server/sso/support.js';
import { countingFetch, idTokenAuth, signedInClient, urlOf } from './support.js';

/** The SDK's session handling against a real server (refresh rotation with reuse detection on). */
let env: SsoEnv;
let extensionNumber = '';

beforeAll(async () => {
  env = await startSsoEnv();
  extensionNumber = (await env.addExtension()).number;
}, 60_000);
afterAll(() => env.stop());

const expired = (session: SessionTokensWithExpiry): SessionTokensWithExpiry => ({ ...session, accessExpiresAt: Date.now() - 1000 });

/** A store several "contexts" share, slow like browser storage (every read and write waits a tick). */
function sharedStore(): AsyncSessionStore & { value: SessionTokensWithExpiry | undefined } {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  const store = {
    value: undefined as SessionTokensWithExpiry | undefined,
    async get() {
      await tick();
      return store.value;
    },
    async set(session: SessionTokensWithExpiry | undefined) {
      await tick();
      store.value = session;
    },
  };
  return store;
}

describe('refresh', () => {
  it('is single-flight: parallel calls with an expired access token rotate the refresh token once', async () => {
    const storage = memorySessionStore();
    const counter = countingFetch();
    const client = await signedInClient(env, { storage, fetch: counter.fetch });
    const before = storage.get();
    if (!before) throw new Error('not signed in');
    storage.set(expired(before));
    const results = await Promise.all([client.me(), client.me(), client.presence.status(), client.presence.getMapping(), client.me()]);
    expect(results.map((r) => ('extension' in r ? r.extension.number : 'ok'))).toEqual([extensionNumber, extensionNumber, 'ok', 'ok', extensionNumber]);
    expect(counter.calls('/api/v1/sso/refresh')).toBe(1);
    expect(storage.get()?.refreshToken).not.toBe(before.refreshToken);
    // Nothing looked like reuse: the rotated session goes on working.
    expect((await client.me()).extension.number).toBe(extensionNumber);
  });

  it('uses a fresh access token without refreshing', async () => {
    const counter = countingFetch();
    const client = await signedInClient(env, { fetch: counter.fetch });
    await client.me();
    await client.presence.status();
    expect(counter.calls('/api/v1/sso/refresh')).toBe(0);
    expect(client.isSignedIn()).toBe(true);
  });
});

describe('a session store shared by several contexts', () => {
  const contexts = (store: AsyncSessionStore, withLock: WithLock | undefined, fetchImpl: typeof fetch) =>
    [0, 1, 2].map(() =>
      createClient({ serverUrl: env.server.url, auth: idTokenAuth(env), sessionStore: store, fetch: fetchImpl, ...(withLock ? { withLock } : {}) }),
    );

  it('keeps one session for every client: signed in in one, usable in the others', async () => {
    const store = sharedStore();
    const [page, worker] = contexts(store, localLock(), fetch);
    expect(await worker?.hasSession()).toBe(false);
    await page?.signIn();
    expect(store.value?.accessToken).toMatch(/^ucb_at_/);
    expect(await worker?.hasSession()).toBe(true);
    expect((await worker?.me())?.extension.number).toBe(extensionNumber);
    await worker?.signOut();
    expect(store.value).toBeUndefined();
    await expect(page?.me()).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('with the shared lock: contexts refreshing together rotate once, and the others use the new token', async () => {
    const store = sharedStore();
    const counter = countingFetch();
    const clients = contexts(store, localLock(), counter.fetch);
    await clients[0]?.signIn();
    store.value = expired(store.value as SessionTokensWithExpiry);
    const answers = await Promise.all(clients.map((c) => c.me()));
    expect(answers.map((a) => a.extension.number)).toEqual([extensionNumber, extensionNumber, extensionNumber]);
    expect(counter.calls('/api/v1/sso/refresh')).toBe(1);
    expect((await clients[2]?.presence.status())?.status).toBeDefined();
  });

  it('without it each context rotates the same refresh token, and the server revokes the sign-in', async () => {
    const store = sharedStore();
    const counter = countingFetch();
    const clients = contexts(store, undefined, counter.fetch);
    await clients[0]?.signIn();
    store.value = expired(store.value as SessionTokensWithExpiry);
    const settled = await Promise.allSettled(clients.map((c) => c.me()));
    expect(counter.calls('/api/v1/sso/refresh')).toBeGreaterThan(1);
    const codes = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as UcBridgeError).code] : []));
    expect(codes).toContain('session_refresh_reused');
  });

  it('after a 401 retries with the token another context stored meanwhile, without refreshing', async () => {
    const store = sharedStore();
    const counter = countingFetch();
    const [page] = contexts(store, localLock(), counter.fetch);
    await page?.signIn();
    const good = store.value as SessionTokensWithExpiry;
    // The page read a token that the server no longer accepts; the store already has a good one.
    let firstRead = true;
    const stale: AsyncSessionStore = {
      get: async () => (firstRead ? ((firstRead = false), { ...good, accessToken: 'ucb_at_stale-token-of-another-rotation' }) : store.get()),
      set: (s) => store.set(s),
    };
    const client = createClient({ serverUrl: env.server.url, auth: idTokenAuth(env), sessionStore: stale, withLock: localLock(), fetch: counter.fetch });
    expect((await client.me()).extension.number).toBe(extensionNumber);
    expect(counter.calls('/api/v1/sso/refresh')).toBe(0);
    expect(store.value?.refreshToken).toBe(good.refreshToken);
  });
});

describe('errors', () => {
  it('never carry a token in the message', async () => {
    const client = await signedInClient(env, {
      fetch: (input, init) => {
        const auth = new Headers(init?.headers).get('authorization') ?? '';
        if (urlOf(input).endsWith('/api/v1/me')) return Promise.reject(new TypeError(`fetch failed: socket hang up (${auth})`));
        return fetch(input, init);
      },
    });
    const error = (await client.me().catch((e: unknown) => e)) as UcBridgeError;
    expect(error).toBeInstanceOf(UcBridgeError);
    expect(error.code).toBe('network_error');
    expect(error.message).toContain('socket hang up');
    expect(error.message).not.toMatch(/ucb_at_[A-Za-z0-9_-]{8}/);
    expect(error.message).toContain('[redacted]');

    const jwt = await env.idToken();
    const wrapped = createUcBridgeError('sign_in_failed', `Sign-in failed for ${jwt}`, new Error(`refresh ucb_rt_${'x'.repeat(40)} refused`));
    expect(wrapped.message).not.toContain(jwt.split('.')[1]);
    expect(wrapped.message).not.toContain('ucb_rt_xxxx');
    const hinted = new UcBridgeError('session_invalid', 'no', { hint: `send ${jwt}` });
    expect(hinted.hint).toBe('send [redacted]');
  });

  it('keep the server’s code and request id, without the refused token', async () => {
    const bogus = `ucb_at_${'y'.repeat(43)}`;
    const client = createClient({
      serverUrl: env.server.url,
      auth: idTokenAuth(env),
      storage: { get: () => ({ accessToken: bogus, refreshToken: `ucb_rt_${'z'.repeat(43)}`, accessExpiresAt: Date.now() + 600_000, refreshExpiresAt: Date.now() + 600_000 }), set: () => undefined },
    });
    const error = (await client.me().catch((e: unknown) => e)) as UcBridgeError;
    expect(error).toMatchObject({ code: 'session_invalid', status: 401 });
    expect(error.requestId).toBeTruthy();
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain('yyyy');
  });
});
