import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { trustEmulatorGlobally } from '../emulator/index.js';
import { startSsoEnv, type SsoEnv } from '../server/sso/support.js';

/**
 * The extension's sign-in and session, as it runs them: the SDK client with the web-auth-flow
 * strategy, the `storage.session` session store and a lock shared by every context — against a
 * real server and the Entra emulator. Only the browser is replaced: `storage.session` by a map,
 * and the web-auth window by a fetch that follows the authorize request to its redirect (what
 * the browser's window does when Microsoft needs nothing from the user).
 */
const memory = vi.hoisted(() => new Map<string, unknown>());
vi.mock('../../extension/platform/browser.js', () => {
  const area = {
    get: (key: string) => Promise.resolve(memory.has(key) ? { [key]: memory.get(key) } : {}),
    set: (items: Record<string, unknown>) => Promise.resolve(void Object.entries(items).forEach(([k, v]) => memory.set(k, v))),
    remove: (key: string) => Promise.resolve(void memory.delete(key)),
  };
  const onChanged = { addListener: () => undefined, removeListener: () => undefined };
  return { browser: { storage: { session: area, onChanged } } };
});

const { extensionSessionStore } = await import('../../extension/auth/session-store.js');
const { SignInError } = await import('../../extension/auth/entra-flow.js');
const { parseAuthority, webAuthFlowAuth } = await import('../../extension/auth/web-auth-flow.js');
const { createClient, localLock, UcBridgeError } = await import('../../sdk/index.js');

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const EXTENSION_ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

let env: SsoEnv;
let restoreTrust: () => void;
let extensionNumber = '';
const launched: string[] = [];

/** The browser's auth window, minus the window: follow the authorize URL to its redirect. */
async function launch(url: string): Promise<string> {
  launched.push(url);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (!location) throw new Error(`the authorize page wanted the user (HTTP ${response.status})`);
  return location;
}

/** Browsers send Origin with the cross-origin token request; that is what makes it an SPA redemption. */
const browserFetch: typeof fetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('origin', EXTENSION_ORIGIN);
  return fetch(input, { ...init, headers });
};

/** One lock for every client of this process, like navigator.locks across extension contexts. */
const sharedLock = localLock();

interface ClientOverrides {
  launch?: (url: string) => Promise<string>;
  /** The Entra app typed into the settings (default: none, the server's is used). */
  entraClient?: () => ReturnType<typeof parseAuthority>;
  loginHint?: string;
  renew?: boolean;
}

/** A client as extension/bridge.ts makes one: one per page or worker, all sharing `storage.session`. */
function client(overrides: ClientOverrides = {}) {
  const hint = overrides.loginHint ?? upn();
  return createClient({
    serverUrl: env.server.url,
    auth: webAuthFlowAuth({
      flow: { launch: overrides.launch ?? launch, redirectUri: REDIRECT, fetch: browserFetch },
      ...(overrides.entraClient ? { entraClient: overrides.entraClient } : {}),
      loginHint: () => hint,
      renew: overrides.renew ?? false,
    }),
    sessionStore: extensionSessionStore(env.server.url),
    withLock: sharedLock,
  });
}

const upn = () => env.user(0).upn;
const storedSession = () => memory.get('pbxSession') as { serverUrl: string; accessToken: string; refreshToken: string; accessExpiresAt: number } | undefined;
const expireAccessToken = () => {
  const session = storedSession();
  if (!session) throw new Error('no session');
  memory.set('pbxSession', { ...session, accessExpiresAt: Date.now() - 1000 });
  return session;
};

beforeAll(async () => {
  env = await startSsoEnv();
  restoreTrust = trustEmulatorGlobally(env.emu.caPem);
  env.emu.ops.addRedirectUri(REDIRECT, 'spa');
  extensionNumber = (await env.addExtension()).number;
}, 60_000);

afterAll(async () => {
  restoreTrust();
  await env.stop();
});

beforeEach(() => {
  memory.clear();
  launched.length = 0;
});

describe('sign-in', () => {
  it('runs the code flow with PKCE and a server nonce against the Entra app the server names, and keeps the session in storage.session', async () => {
    const me = await client().signIn();
    expect(me?.extension.number).toBe(extensionNumber);
    const url = new URL(launched[0] ?? '');
    expect(url.origin + url.pathname).toBe(`${env.emu.authority}/${env.emu.tenantId}/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: env.emu.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid profile email',
      code_challenge_method: 'S256',
      login_hint: upn(),
    });
    expect(url.searchParams.get('nonce')?.length).toBeGreaterThan(20);
    expect(url.searchParams.has('prompt')).toBe(false);
    // The code was redeemed as an SPA (the emulator, like Entra, then insists on Origin and no secret).
    const redemption = env.emu.ops.requests({ path: `/${env.emu.tenantId}/oauth2/v2.0/token` }).at(-1);
    expect(redemption).toMatchObject({ method: 'POST', status: 200, appId: env.emu.clientId });
    expect(storedSession()).toMatchObject({ serverUrl: env.server.url, accessToken: expect.stringMatching(/^ucb_at_/) as unknown });
    expect([...memory.keys()]).toEqual(['pbxSession']);
    // Another context (the background worker) reads the same session.
    expect((await client().me()).extension.number).toBe(extensionNumber);
  });

  it('takes the Entra app typed into the settings over the server’s (advanced override)', async () => {
    const override = parseAuthority(`${env.emu.authority}/${env.emu.tenantId}`, 'typed-client-id');
    await expect(client({ entraClient: () => override }).signIn()).rejects.toBeInstanceOf(UcBridgeError);
    expect(new URL(launched[0] ?? '').searchParams.get('client_id')).toBe('typed-client-id');
    expect(storedSession()).toBeUndefined();
  });

  it('says so when no Entra app is known', async () => {
    await expect(client({ entraClient: () => undefined }).signIn()).rejects.toMatchObject({ code: 'sign_in_not_configured' });
    expect(launched).toEqual([]);
  });

  it('refuses an answer to another request (state), a declined sign-in and a closed window', async () => {
    const forged = client({
      launch: async (url) => {
        const answer = new URL(await launch(url));
        answer.searchParams.set('state', 'forged');
        return answer.toString();
      },
    });
    await expect(forged.signIn()).rejects.toEqual(new SignInError('sign_in_state'));
    const declined = client({ launch: () => Promise.resolve(`${REDIRECT}?error=access_denied&error_description=AADSTS65004&state=x`) });
    await expect(declined.signIn()).rejects.toMatchObject({ code: 'sign_in_cancelled', reason: 'AADSTS65004' });
    const closed = client({ launch: () => Promise.reject(new Error('The user did not approve access.')) });
    await expect(closed.signIn()).rejects.toMatchObject({ code: 'sign_in_cancelled' });
    expect(storedSession()).toBeUndefined();
  });

  it('passes the server refusal on with its code and stores nothing', async () => {
    await expect(client({ loginHint: env.user(3).upn }).signIn()).rejects.toMatchObject({ code: 'sso_user_unknown' });
    expect(storedSession()).toBeUndefined();
  });
});

describe('session upkeep', () => {
  it('refreshes an expiring access token once, however many contexts ask at the same time', async () => {
    await client().signIn();
    const first = expireAccessToken();
    const [page, worker, popup] = [client(), client(), client()];
    const [a, b, c] = await Promise.all([page.me(), worker.me(), popup.presence.status()]);
    expect([a.extension.number, b.extension.number, c.extensionId]).toEqual([extensionNumber, extensionNumber, a.extension.id]);
    const rotated = storedSession();
    expect(rotated?.accessToken).not.toBe(first.accessToken);
    expect(rotated?.refreshToken).not.toBe(first.refreshToken);
    // The rotation was not mistaken for a stolen refresh token: the new session still works.
    expect((await client().me()).extension.number).toBe(extensionNumber);
    expect(storedSession()?.refreshToken).toBe(rotated?.refreshToken);
  });

  it('keeps using a fresh access token without refreshing', async () => {
    await client().signIn();
    const before = storedSession();
    await client().me();
    expect(storedSession()).toEqual(before);
  });

  it('after a 401 refreshes once and retries', async () => {
    await client().signIn();
    const session = storedSession();
    if (!session) throw new Error('no session');
    memory.set('pbxSession', { ...session, accessToken: 'ucb_at_revoked-or-unknown-token' });
    expect((await client().me()).extension.number).toBe(extensionNumber);
    expect(storedSession()?.refreshToken).not.toBe(session.refreshToken);
  });

  it('forgets a session the server has ended, and says so', async () => {
    await client().signIn();
    const session = expireAccessToken();
    await env.post('/api/v1/sso/logout', { refreshToken: session.refreshToken });
    const worker = client();
    await expect(worker.me()).rejects.toMatchObject({ code: 'session_revoked' });
    expect(storedSession()).toBeUndefined();
    expect(await worker.hasSession()).toBe(false);
    await expect(client().me()).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(launched).toHaveLength(1);
  });

  it('signs out on the server too', async () => {
    const c = client();
    await c.signIn();
    const refreshToken = storedSession()?.refreshToken;
    await c.signOut();
    expect(storedSession()).toBeUndefined();
    expect((await env.post('/api/v1/sso/refresh', { refreshToken })).status).toBe(401);
  });
});

describe('renewal without a window', () => {
  it('signs in again with prompt=none when the strategy may renew', async () => {
    const renewing = client({ renew: true });
    expect((await renewing.me()).extension.number).toBe(extensionNumber);
    expect(new URL(launched[0] ?? '').searchParams.get('prompt')).toBe('none');
    expect(await renewing.hasSession()).toBe(true);
  });

  it('gives up quietly when Microsoft needs the user', async () => {
    // No login hint and no Microsoft cookie: prompt=none cannot pick the user.
    await expect(client({ renew: true, loginHint: '' }).me()).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(new URL(launched[0] ?? '').searchParams.get('prompt')).toBe('none');
  });
});

describe('parseAuthority', () => {
  it('splits an authority URL into host and tenant, https only', () => {
    expect(parseAuthority('https://login.microsoftonline.com/contoso.onmicrosoft.com/', 'app')).toEqual({
      authorityHost: 'https://login.microsoftonline.com',
      entraTenantId: 'contoso.onmicrosoft.com',
      clientId: 'app',
    });
    expect(parseAuthority('http://login.example/t', 'app')).toBeUndefined();
    expect(parseAuthority('https://login.microsoftonline.com/', 'app')).toBeUndefined();
    expect(parseAuthority('https://login.microsoftonline.com/t', '')).toBeUndefined();
  });
});
