import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { decodeJwt, decodeProtectedHeader, createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { msalNetworkClient } from './index.js';

let emu: TestEmulator;
const REDIRECT = 'http://localhost:5599/sso/callback';
const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const tokenUrl = (): string => `${emu.authority}/${emu.tenantId}/oauth2/v2.0/token`;
const clientCredentials = (secret: string, clientId = emu.clientId): Promise<Response> =>
  fetch(tokenUrl(), form({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: 'https://graph.microsoft.com/.default' }));

async function aadError(res: Response): Promise<{ status: number; error: string; codes: number[]; description: string }> {
  const body = (await res.json()) as { error: string; error_codes: number[]; error_description: string };
  return { status: res.status, error: body.error, codes: body.error_codes, description: body.error_description };
}

beforeAll(async () => {
  emu = await startTestEmulator({ users: 50, redirectUris: [{ uri: REDIRECT, type: 'web' }] });
});
afterAll(async () => emu.close());

describe('discovery and keys', () => {
  it('serves OIDC metadata with the tenant issuer and a JWKS with kid/x5t/x5c', async () => {
    const meta = (await (await fetch(`${emu.authority}/${emu.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(meta.issuer).toBe(`${emu.authority}/${emu.tenantId}/v2.0`);
    expect(meta.token_endpoint).toBe(tokenUrl());
    const common = (await (await fetch(`${emu.authority}/common/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(common.issuer).toBe(`${emu.authority}/{tenantid}/v2.0`);
    const jwks = (await (await fetch(meta.jwks_uri ?? '')).json()) as { keys: { kid: string; x5t: string; x5c: string[]; kty: string }[] };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA' });
    expect(jwks.keys[0]?.kid).toBe(jwks.keys[0]?.x5t);
    expect(jwks.keys[0]?.x5c[0]?.length).toBeGreaterThan(100);
  });

  it('answers instance discovery the way MSAL expects', async () => {
    const res = await fetch(`${emu.authority}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${emu.authority}/${emu.tenantId}/oauth2/v2.0/authorize`)}`);
    const body = (await res.json()) as { tenant_discovery_endpoint: string; metadata: { aliases: string[] }[] };
    expect(body.tenant_discovery_endpoint).toBe(`${emu.authority}/${emu.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(body.metadata[0]?.aliases).toEqual([new URL(emu.authority).host]);
  });

  it('unknown tenant → AADSTS90002', async () => {
    const res = await fetch(`${emu.authority}/00000000-0000-0000-0000-000000000001/oauth2/v2.0/token`, form({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, scope: 'https://graph.microsoft.com/.default' }));
    expect(await aadError(res)).toMatchObject({ status: 400, codes: [90002] });
  });
});

describe('client credentials', () => {
  it('msal-node gets an app token whose roles are the granted permissions', async () => {
    const token = await emu.appToken();
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ tid: emu.tenantId, aud: 'https://graph.microsoft.com', appid: emu.clientId, azp: emu.clientId, idtyp: 'app', oid: emu.state.readApp.servicePrincipalId });
    expect(claims.roles).toEqual(expect.arrayContaining(['User.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Contacts.Read', 'Presence.Read.All', 'Calendars.Read']));
    // The signature verifies against the published JWKS.
    const jwks = createRemoteJWKSet(new URL(`${emu.authority}/${emu.tenantId}/discovery/v2.0/keys`));
    await expect(jwtVerify(token, jwks)).resolves.toBeTruthy();
  });

  it('rejects a wrong secret (7000215), an unknown app (700016) and a non-.default scope (1002012)', async () => {
    expect(await aadError(await clientCredentials('nope'))).toMatchObject({ status: 401, error: 'invalid_client', codes: [7000215] });
    expect(await aadError(await clientCredentials(emu.clientSecret, '11111111-2222-3333-4444-555555555555'))).toMatchObject({ status: 400, codes: [700016] });
    const res = await fetch(tokenUrl(), form({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, scope: 'User.Read' }));
    expect(await aadError(res)).toMatchObject({ error: 'invalid_scope', codes: [1002012] });
  });

  it('control: expired secret → 7000222, revoked → 7000215, a second secret keeps working', async () => {
    const second = emu.ops.addSecret(emu.adminClientId);
    emu.ops.expireSecret(emu.adminClientId, emu.state.adminApp.secrets[0]?.keyId);
    const expired = await aadError(await clientCredentials(emu.adminClientSecret, emu.adminClientId));
    expect(expired).toMatchObject({ status: 401, codes: [7000222] });
    expect(expired.description).toMatch(/^AADSTS7000222: .*\r\nTrace ID: .*\r\nCorrelation ID: .*\r\nTimestamp: /s);
    expect((await clientCredentials(second.secretText, emu.adminClientId)).status).toBe(200);
    emu.ops.revokeSecret(emu.adminClientId, second.keyId);
    expect(await aadError(await clientCredentials(second.secretText, emu.adminClientId))).toMatchObject({ codes: [7000215] });
    emu.ops.resetAll();
    expect((await clientCredentials(emu.adminClientSecret, emu.adminClientId)).status).toBe(200);
  });

  it('control: rotating keys publishes a new kid; retiring old keys makes old tokens fail at Graph', async () => {
    const before = await emu.appToken();
    const oldKid = decodeProtectedHeader(before).kid;
    const { kid } = emu.ops.rotateKeys(false);
    const jwks = (await (await fetch(`${emu.authority}/${emu.tenantId}/discovery/v2.0/keys`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([kid, oldKid]);
    emu.ops.rotateKeys(true);
    const res = await fetch(`${emu.graph}/v1.0/users?$top=1`, { headers: { authorization: `Bearer ${before}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
  });
});

describe('authorization code flow', () => {
  async function signIn(cca: ConfidentialClientApplication, upn: string): Promise<{ code: string; verifier: string; location: URL }> {
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({ scopes: ['User.Read', 'email'], redirectUri: REDIRECT, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', loginHint: upn, state: 'st-1', nonce: 'nonce-1' });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    return { code: location.searchParams.get('code') ?? '', verifier: pkce.verifier, location };
  }

  const webClient = (): ConfidentialClientApplication =>
    new ConfidentialClientApplication({
      auth: { clientId: emu.clientId, clientSecret: emu.clientSecret, authority: `${emu.authority}/${emu.tenantId}`, knownAuthorities: [new URL(emu.authority).host] },
      system: { networkClient: msalNetworkClient(emu.caPem) },
    });

  it('msal-node: login_hint auto-selects, PKCE + nonce, ID token claims, refresh with rotation', async () => {
    const user = emu.state.directory.users.find((u) => u.data.accountEnabled && u.data.userType === 'Member' && u.data.mail);
    if (!user) throw new Error('no user');
    const cca = webClient();
    const { code, verifier, location } = await signIn(cca, user.data.userPrincipalName);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    // msal-node 7 checks the ID token nonce against request.nonce and the returned state against request.state.
    const result = await cca.acquireTokenByCode({ code, scopes: ['User.Read', 'email'], redirectUri: REDIRECT, codeVerifier: verifier, nonce: 'nonce-1', state: 'st-1' }, { code, state: 'st-1' });
    expect(result.idTokenClaims).toMatchObject({
      iss: `${emu.authority}/${emu.tenantId}/v2.0`, aud: emu.clientId, tid: emu.tenantId, oid: user.data.id,
      preferred_username: user.data.userPrincipalName, email: user.data.mail, name: user.data.displayName, nonce: 'nonce-1', ver: '2.0',
    });
    expect(result.account?.homeAccountId).toBe(`${user.data.id}.${emu.tenantId}`);
    expect(decodeJwt(result.accessToken)).toMatchObject({ idtyp: 'user', scp: 'User.Read', oid: user.data.id });
    // A reused code is refused.
    const again = await fetch(tokenUrl(), form({ grant_type: 'authorization_code', client_id: emu.clientId, client_secret: emu.clientSecret, code, redirect_uri: REDIRECT, code_verifier: verifier }));
    expect(await aadError(again)).toMatchObject({ error: 'invalid_grant', codes: [54005] });
  });

  it('raw token endpoint: PKCE mismatch 501481, refresh rotation, SPA rules', async () => {
    const upn = emu.state.directory.users.find((u, i) => i > 5 && u.data.accountEnabled && u.data.userType === 'Member')?.data.userPrincipalName ?? '';
    const first = await signIn(webClient(), upn);
    const bad = await fetch(tokenUrl(), form({ grant_type: 'authorization_code', client_id: emu.clientId, client_secret: emu.clientSecret, code: first.code, redirect_uri: REDIRECT, code_verifier: 'x'.repeat(43) }));
    expect(await aadError(bad)).toMatchObject({ codes: [501481] });
    const { code, verifier } = await signIn(webClient(), upn);
    const okRes = await fetch(tokenUrl(), form({ grant_type: 'authorization_code', client_id: emu.clientId, client_secret: emu.clientSecret, code, redirect_uri: REDIRECT, code_verifier: verifier, scope: 'openid offline_access User.Read', client_info: '1' }));
    const tokens = (await okRes.json()) as { refresh_token: string; client_info: string; id_token: string };
    expect(okRes.status).toBe(200);
    expect(JSON.parse(Buffer.from(tokens.client_info, 'base64url').toString())).toEqual({ uid: emu.state.directory.findUser(upn)?.data.id, utid: emu.tenantId });
    const refreshed = (await (await fetch(tokenUrl(), form({ grant_type: 'refresh_token', client_id: emu.clientId, client_secret: emu.clientSecret, refresh_token: tokens.refresh_token }))).json()) as { refresh_token: string };
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // A web-platform grant may not be redeemed cross-origin.
    const cors = await fetch(tokenUrl(), { ...form({ grant_type: 'refresh_token', client_id: emu.clientId, client_secret: emu.clientSecret, refresh_token: refreshed.refresh_token }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:5599' } });
    expect(await aadError(cors)).toMatchObject({ codes: [9002326] });
    // Revoking the user's sessions kills the refresh token.
    emu.ops.revokeUserSessions(emu.state.directory.findUser(upn)?.data.id ?? '');
    const revoked = await fetch(tokenUrl(), form({ grant_type: 'refresh_token', client_id: emu.clientId, client_secret: emu.clientSecret, refresh_token: refreshed.refresh_token }));
    expect(await aadError(revoked)).toMatchObject({ codes: [50173] });
  });

  it('SPA redirect URIs: code redeemable only cross-origin and never with a secret', async () => {
    const spa = 'http://localhost:5600/spa';
    emu.ops.addRedirectUri(spa, 'spa');
    const upn = emu.state.directory.users.find((u, i) => i > 7 && u.data.accountEnabled && u.data.userType === 'Member')?.data.userPrincipalName ?? '';
    const pkce = await new CryptoProvider().generatePkceCodes();
    const authorize = async (): Promise<string> => {
      const res = await fetch(`${emu.authority}/${emu.tenantId}/oauth2/v2.0/authorize?client_id=${emu.clientId}&response_type=code&redirect_uri=${encodeURIComponent(spa)}&scope=openid&code_challenge=${pkce.challenge}&code_challenge_method=S256&login_hint=${encodeURIComponent(upn)}`, { redirect: 'manual' });
      return new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
    };
    const redeem = async (origin: string | undefined, secret: string | undefined): Promise<Response> =>
      fetch(tokenUrl(), {
        ...form({ grant_type: 'authorization_code', client_id: emu.clientId, code: await authorize(), redirect_uri: spa, code_verifier: pkce.verifier, ...(secret ? { client_secret: secret } : {}) }),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
      });
    expect(await aadError(await redeem(undefined, undefined))).toMatchObject({ codes: [9002327] });
    expect(await aadError(await redeem('http://localhost:5600', emu.clientSecret))).toMatchObject({ codes: [700025] });
    const good = await redeem('http://localhost:5600', undefined);
    expect(good.status).toBe(200);
    expect(good.headers.get('access-control-allow-origin')).toBeTruthy();
  });

  it('errors: unregistered redirect URI is an error page (50011); prompt=none without session → login_required', async () => {
    const page = await fetch(`${emu.authority}/${emu.tenantId}/oauth2/v2.0/authorize?client_id=${emu.clientId}&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&scope=openid`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('AADSTS50011');
    const none = await fetch(`${emu.authority}/${emu.tenantId}/oauth2/v2.0/authorize?client_id=${emu.clientId}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid&prompt=none&state=z`, { redirect: 'manual' });
    const loc = new URL(none.headers.get('location') ?? '');
    expect(loc.searchParams.get('error')).toBe('login_required');
    expect(loc.searchParams.get('error_description')).toMatch(/^AADSTS50058/);
    expect(loc.searchParams.get('state')).toBe('z');
  });

  it('consent screen for an unconsented scope, then a code; response_mode=fragment', async () => {
    const upn = emu.state.directory.users.find((u, i) => i > 10 && u.data.accountEnabled && u.data.userType === 'Member')?.data.userPrincipalName ?? '';
    const url = `${emu.authority}/${emu.tenantId}/oauth2/v2.0/authorize?client_id=${emu.clientId}&response_type=code&response_mode=fragment&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=${encodeURIComponent('openid Mail.Read')}&login_hint=${encodeURIComponent(upn)}&state=c`;
    const consentPage = await fetch(url, { redirect: 'manual' });
    const html = await consentPage.text();
    expect(html).toContain('Mail.Read');
    const flow = /name="flow" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const accepted = await fetch(`${emu.authority}/${emu.tenantId}/consent`, { ...form({ flow, accept: 'yes' }), redirect: 'manual' });
    const loc = accepted.headers.get('location') ?? '';
    expect(loc.startsWith(`${REDIRECT}#`)).toBe(true);
    expect(new URLSearchParams(loc.split('#')[1]).get('code')).toBeTruthy();
  });

  it('admin consent grants the requested application permissions', async () => {
    emu.ops.setPermissions([], emu.clientId);
    expect(decodeJwt(await (await clientCredentials(emu.clientSecret)).json().then((b: { access_token: string }) => b.access_token)).roles).toBeUndefined();
    const admin = [...emu.state.globalAdmins][0] ?? '';
    const start = await fetch(`${emu.authority}/${emu.tenantId}/adminconsent?client_id=${emu.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=ac&login_hint=${encodeURIComponent(emu.state.directory.findUser(admin)?.data.userPrincipalName ?? '')}`);
    const flow = /name="flow" value="([^"]+)"/.exec(await start.text())?.[1] ?? '';
    const done = await fetch(`${emu.authority}/${emu.tenantId}/consent`, { ...form({ flow, accept: 'yes' }), redirect: 'manual' });
    const loc = new URL(done.headers.get('location') ?? '');
    expect(Object.fromEntries(loc.searchParams)).toMatchObject({ admin_consent: 'True', tenant: emu.tenantId, state: 'ac' });
    const body = (await (await clientCredentials(emu.clientSecret)).json()) as { access_token: string };
    expect(decodeJwt(body.access_token).roles).toContain('User.Read.All');
  });
});
