import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, type Transport } from '../../../server/graph/index.js';
import { ssoAudit, startSsoEnv, type SsoEnv } from './support.js';

let env: SsoEnv;
let entra: Transport;
const RETURN_TO = 'http://127.0.0.1:5999/app';

beforeAll(async () => {
  env = await startSsoEnv();
  entra = createTransport(env.emu.caFile);
  await env.addExtension();
});
afterAll(async () => {
  await entra.close();
  await env.stop();
});

interface Started {
  authorizeUrl: URL;
  cookie: string;
}

async function startLogin(query: Record<string, string> = {}): Promise<Started> {
  const params = new URLSearchParams({ returnTo: RETURN_TO, loginHint: env.user(0).upn, ...query });
  const response = await fetch(`${env.server.url}/sso/login?${params}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(response.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
  return { authorizeUrl: new URL(response.headers.get('location') ?? ''), cookie };
}

/** Lets the emulator's authorize page sign the hinted user in; returns our callback URL. */
async function authorize(started: Started): Promise<string> {
  const response = await entra.fetch(started.authorizeUrl.toString(), { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location') ?? '';
}

const callback = (url: string, cookie?: string) =>
  fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });

const fragmentOf = (response: Response) => {
  const location = new URL(response.headers.get('location') ?? '');
  return { base: `${location.origin}${location.pathname}`, values: new URLSearchParams(location.hash.slice(1)) };
};

const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

describe('web-client sign-in (authorization code + PKCE)', () => {
  it('sends the browser to Entra with PKCE S256, state, nonce and the registered redirect URI', async () => {
    const { authorizeUrl } = await startLogin();
    const q = authorizeUrl.searchParams;
    expect(authorizeUrl.toString().startsWith(`${env.emu.authority}/${env.emu.tenantId}/oauth2/v2.0/authorize`)).toBe(true);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('redirect_uri')).toBe(`${env.server.url}/sso/callback`);
    expect(q.get('client_id')).toBe(env.emu.clientId);
    expect(q.get('login_hint')).toBe(env.user(0).upn);
  });

  it('signs the user in and returns the session in the fragment of returnTo', async () => {
    const started = await startLogin();
    const response = await callback(await authorize(started), started.cookie);
    expect(response.status).toBe(302);
    const { base, values } = fragmentOf(response);
    expect(base).toBe(RETURN_TO);
    expect(values.get('error')).toBeNull();
    const accessToken = values.get('accessToken') ?? '';
    expect(values.get('refreshToken')).toMatch(/^ucb_rt_/);
    const me = await env.get('/api/v1/me', accessToken);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { entraObjectId: string } }).user.entraObjectId).toBe(env.user(0).oid);
    expect((await ssoAudit(env))[0]).toMatchObject({ action: 'sso.sign_in', details: { flow: 'web' } });
  });

  it('refuses a replayed callback', async () => {
    const started = await startLogin();
    const url = await authorize(started);
    expect((await callback(url, started.cookie)).status).toBe(302);
    const replay = await callback(url, started.cookie);
    expect({ status: replay.status, code: await errorCode(replay) }).toEqual({ status: 400, code: 'sso_code_replayed' });
    expect((await ssoAudit(env))[0]).toMatchObject({ action: 'sso.refused', details: { code: 'sso_code_replayed' } });
  });

  it('refuses a code Entra already redeemed', async () => {
    const first = await startLogin();
    const firstCallback = new URL(await authorize(first));
    expect((await callback(firstCallback.toString(), first.cookie)).status).toBe(302);
    const second = await startLogin();
    const secondCallback = new URL(await authorize(second));
    secondCallback.searchParams.set('code', firstCallback.searchParams.get('code') ?? '');
    const { values } = fragmentOf(await callback(secondCallback.toString(), second.cookie));
    expect(values.get('error')).toBe('sso_code_replayed');
    expect(values.get('accessToken')).toBeNull();
  });

  it("refuses another sign-in's code (its PKCE verifier does not match)", async () => {
    const first = await startLogin();
    const firstCode = new URL(await authorize(first)).searchParams.get('code') ?? '';
    const second = await startLogin();
    const secondCallback = new URL(await authorize(second));
    secondCallback.searchParams.set('code', firstCode);
    const { values } = fragmentOf(await callback(secondCallback.toString(), second.cookie));
    expect(values.get('error')).toBe('sso_code_rejected');
    const [latest] = await ssoAudit(env);
    expect(latest).toMatchObject({ action: 'sso.refused', details: { code: 'sso_code_rejected', entraCodes: [501481] } });
  });

  it('refuses an unknown state, and a state from another browser without spending it', async () => {
    const forged = await callback(`${env.server.url}/sso/callback?state=forged-state-value&code=abc`);
    expect({ status: forged.status, code: await errorCode(forged) }).toEqual({ status: 400, code: 'sso_state_invalid' });
    const started = await startLogin();
    const url = await authorize(started);
    const otherBrowser = await callback(url, 'ucb_sso_flow=someone-else');
    expect(await errorCode(otherBrowser)).toBe('sso_state_invalid');
    expect(fragmentOf(await callback(url, started.cookie)).values.get('accessToken')).toMatch(/^ucb_at_/);
  });

  it('refuses an expired state', async () => {
    const started = await startLogin();
    const url = await authorize(started);
    await env.server.store.db.updateTable('sso_challenge').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('used_at', 'is', null).execute();
    const response = await callback(url, started.cookie);
    expect({ status: response.status, code: await errorCode(response) }).toEqual({ status: 400, code: 'sso_state_expired' });
  });

  it('refuses an ID token whose nonce is not the one of this sign-in', async () => {
    const started = await startLogin();
    const url = await authorize(started);
    await env.server.store.db.updateTable('sso_challenge').set({ nonce: 'another-nonce' }).where('used_at', 'is', null).execute();
    const { values } = fragmentOf(await callback(url, started.cookie));
    expect(values.get('error')).toBe('sso_nonce_mismatch');
  });

  it('passes an error from Entra back to the client', async () => {
    const started = await startLogin();
    const state = started.authorizeUrl.searchParams.get('state') ?? '';
    const response = await callback(`${env.server.url}/sso/callback?state=${state}&error=access_denied`, started.cookie);
    const { base, values } = fragmentOf(response);
    expect(base).toBe(RETURN_TO);
    expect(values.get('error')).toBe('sso_authorize_failed');
  });

  it('only returns to allowed origins', async () => {
    const response = await fetch(`${env.server.url}/sso/login?returnTo=${encodeURIComponent('https://evil.example/steal')}`, { redirect: 'manual' });
    expect({ status: response.status, code: await errorCode(response) }).toEqual({ status: 400, code: 'sso_return_url_invalid' });
  });

  it('does not start while SSO is off', async () => {
    await env.setSso({ enabled: false, allowedOrigins: ['http://127.0.0.1:5999'] });
    const response = await fetch(`${env.server.url}/sso/login?returnTo=${encodeURIComponent(RETURN_TO)}`, { redirect: 'manual' });
    await env.setSso({ enabled: true, allowedOrigins: ['http://127.0.0.1:5999'] });
    expect({ status: response.status, code: await errorCode(response) }).toEqual({ status: 403, code: 'sso_disabled' });
  });
});
