import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthContext, AuthStrategy, SessionTokens, SignInChallenge } from '../../sdk/index.js';

/**
 * `msalAuth` with MSAL and the server replaced: MSAL records its sign-in calls and answers at
 * once; the server's nonces arrive only when the test sends them. A browser opens a popup only
 * while the click's user activation lasts, so MSAL must be called without awaiting the network.
 */
const msal = vi.hoisted(() => ({ calls: [] as Array<{ method: string; nonce: string }> }));
vi.mock('@azure/msal-browser', () => ({
  PublicClientApplication: class {
    initialize = () => Promise.resolve();
    setActiveAccount = () => undefined;
    loginPopup = ({ nonce }: { nonce: string }) => (msal.calls.push({ method: 'loginPopup', nonce }), Promise.resolve({ idToken: `id-token(${nonce})`, account: {} }));
    loginRedirect = ({ nonce }: { nonce: string }) => (msal.calls.push({ method: 'loginRedirect', nonce }), Promise.resolve());
  },
}));

const { createClient, memorySessionStore, msalAuth } = await import('../../sdk/index.js');
const { PREPARED_NONCE_MAX_AGE_MS } = await import('../../sdk/prepared-nonce.js');

const OPTIONS = { clientId: 'c', authority: 'https://login.example/t', redirectUri: 'https://app.example/redirect.html' };

/** The server: each nonce request waits until `send` answers it. */
function server() {
  const pending: Array<(challenge: SignInChallenge) => void> = [];
  const exchanged: Array<{ idToken: string; nonce: string | undefined }> = [];
  const ctx: AuthContext = {
    serverUrl: 'https://pbx.example',
    tenant: 'default',
    requestNonce: () => new Promise((resolve) => pending.push(resolve)),
    exchangeIdToken: (idToken, nonce) => (exchanged.push({ idToken, nonce }), Promise.resolve({ accessToken: 'at' } as SessionTokens)),
  };
  const send = (index: number, nonce: string) => pending[index]?.({ nonce, clientId: 'c', authority: OPTIONS.authority });
  return { ctx, send, requests: () => pending.length, exchanged };
}

/** Lets resolved promises run (MSAL's initialisation, an answered nonce request). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  msal.calls.splice(0);
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('msalAuth popup sign-in', () => {
  it('calls loginPopup in the click itself, with the nonce fetched ahead, once MSAL and the nonce are ready', async () => {
    const { ctx, send, requests, exchanged } = server();
    const auth = msalAuth(OPTIONS);
    auth.prepare?.(ctx);
    send(0, 'nonce-ahead');
    await settle();

    const signingIn = auth.signIn(ctx);
    // Synchronously: no network round trip (and no other await) came before the popup.
    expect(msal.calls).toEqual([{ method: 'loginPopup', nonce: 'nonce-ahead' }]);
    await signingIn;
    expect(exchanged).toEqual([{ idToken: 'id-token(nonce-ahead)', nonce: 'nonce-ahead' }]);
    expect(requests()).toBe(1);
  });

  it('waits for a nonce still on its way instead of asking for a second one', async () => {
    const { ctx, send, requests } = server();
    const auth = msalAuth(OPTIONS);
    auth.prepare?.(ctx);
    const signingIn = auth.signIn(ctx);
    await settle();
    expect(msal.calls).toEqual([]);
    send(0, 'late');
    await signingIn;
    expect(msal.calls).toEqual([{ method: 'loginPopup', nonce: 'late' }]);
    expect(requests()).toBe(1);
  });

  it('uses a nonce only once, and asks for a new one when the held one is too old', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { ctx, send, requests } = server();
    const auth = msalAuth(OPTIONS);
    auth.prepare?.(ctx);
    send(0, 'first');
    await settle();
    await auth.signIn(ctx);

    auth.prepare?.(ctx);
    send(1, 'stale');
    await settle();
    vi.setSystemTime(Date.now() + PREPARED_NONCE_MAX_AGE_MS);
    const signingIn = auth.signIn(ctx);
    expect(requests()).toBe(3);
    send(2, 'new');
    await signingIn;
    expect(msal.calls.map((call) => call.nonce)).toEqual(['first', 'new']);
  });

  it('in redirect mode fetches no nonce ahead, and keeps the one it signs in with for the return', async () => {
    const stored = new Map<string, string>();
    vi.stubGlobal('sessionStorage', { setItem: (key: string, value: string) => stored.set(key, value) });
    const { ctx, send, requests } = server();
    const auth = msalAuth({ ...OPTIONS, interaction: 'redirect' });
    auth.prepare?.(ctx);
    await settle();
    expect(requests()).toBe(0);
    const signingIn = auth.signIn(ctx);
    send(0, 'for-redirect');
    expect(await signingIn).toBeUndefined();
    expect(msal.calls).toEqual([{ method: 'loginRedirect', nonce: 'for-redirect' }]);
    expect([...stored.values()]).toEqual(['for-redirect']);
  });
});

describe('createClient', () => {
  const noNetwork: typeof fetch = () => Promise.reject(new Error('no network in this test'));
  const strategy = (log: string[]): AuthStrategy => ({
    prepare: () => void log.push('prepare'),
    signIn: () => Promise.reject(new Error('popup closed')),
  });

  it('has the strategy prepare a sign-in while nobody is signed in: at start, after a failed sign-in, after signing out', async () => {
    const log: string[] = [];
    const client = createClient({ serverUrl: 'https://pbx.example', auth: strategy(log), fetch: noNetwork });
    await vi.waitFor(() => expect(log).toEqual(['prepare']));
    await expect(client.signIn()).rejects.toThrow();
    expect(log).toEqual(['prepare', 'prepare']);
    await client.signOut();
    expect(log).toEqual(['prepare', 'prepare', 'prepare']);
  });

  it('does not while a session is held', async () => {
    const log: string[] = [];
    const storage = memorySessionStore();
    storage.set({ accessToken: 'at', refreshToken: 'rt', accessExpiresAt: Date.now() + 60_000, refreshExpiresAt: Date.now() + 60_000 });
    createClient({ serverUrl: 'https://pbx.example', auth: strategy(log), storage, fetch: noNetwork });
    await settle();
    expect(log).toEqual([]);
  });
});
