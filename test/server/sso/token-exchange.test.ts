import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rogueKey, ssoAudit, startSsoEnv, type SessionBody, type SsoEnv } from './support.js';

let env: SsoEnv;
let extensionId: string;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  env = await startSsoEnv({ tunables: { keysCooldownMs: 0 } });
  extensionId = (await env.addExtension()).id;
});
afterAll(() => env.stop());

/** Posts the exchange, expects the refusal code and its audit entry. */
async function expectRefused(body: Record<string, unknown>, code: string, status: number): Promise<void> {
  const response = await env.post('/api/v1/sso/token', body);
  const json = (await response.json()) as { error: { code: string; message: string; details?: Record<string, unknown> } };
  expect({ status: response.status, code: json.error.code }).toEqual({ status, code });
  expect(JSON.stringify(json)).not.toContain(String(body.idToken).slice(-20));
  // Which extension a refusal concerned goes to the audit log only.
  expect(json.error.details?.extensionId).toBeUndefined();
  const [latest] = await ssoAudit(env);
  expect(latest).toMatchObject({ action: 'sso.refused', details: { code, flow: 'token' } });
}

describe('POST /api/v1/sso/token', () => {
  it('exchanges a valid ID token for a session of the linked extension', async () => {
    const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken() });
    expect(response.status).toBe(201);
    const body = (await response.json()) as SessionBody;
    expect(body.me.extension.id).toBe(extensionId);
    expect(body.me.user.entraObjectId).toBe(env.user(0).oid);
    expect(body.accessToken).toMatch(/^ucb_at_/);
    expect(body.refreshToken).toMatch(/^ucb_rt_/);
    expect(body.expiresIn).toBe(900);
    const [latest] = await ssoAudit(env);
    expect(latest).toMatchObject({ action: 'sso.sign_in', actor: `user:${extensionId}` });
    const stored = await env.server.store.db.selectFrom('session').selectAll().where('extension_id', '=', extensionId).execute();
    expect(stored.some((s) => s.access_hash === body.accessToken)).toBe(false);
  });

  it('issues a nonce with the public sign-in parameters of the Entra app', async () => {
    const response = await env.post('/api/v1/sso/nonce', {});
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['authority', 'clientId', 'nonce']);
    expect(body).toMatchObject({ clientId: env.emu.clientId, authority: `${env.emu.authority}/${env.emu.tenantId}` });
    expect(body.nonce?.length).toBeGreaterThanOrEqual(20);
  });

  it('accepts a server nonce once, and only when the token carries it', async () => {
    const issue = async () => ((await (await env.post('/api/v1/sso/nonce', {})).json()) as { nonce: string }).nonce;
    const nonce = await issue();
    const idToken = await env.idToken({ nonce });
    expect((await env.post('/api/v1/sso/token', { idToken, nonce })).status).toBe(201);
    await expectRefused({ idToken, nonce }, 'sso_nonce_mismatch', 401);
    const other = await issue();
    await expectRefused({ idToken: await env.idToken({ nonce: 'a-different-nonce' }), nonce: other }, 'sso_nonce_mismatch', 401);
    await expectRefused({ idToken: await env.idToken({ nonce: 'never-issued-nonce' }), nonce: 'never-issued-nonce' }, 'sso_nonce_mismatch', 401);
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    await expectRefused({ idToken: await env.idToken({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }) }, 'sso_token_expired', 401);
    await expectRefused({ idToken: await env.idToken({ nbf: now() + 3600, exp: now() + 7200 }) }, 'sso_token_not_yet_valid', 401);
  });

  it('tolerates a small clock skew', async () => {
    const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken({ nbf: now() + 30, exp: now() - 30 }) });
    expect(response.status).toBe(201);
  });

  it('refuses another tenant, another issuer and another audience', async () => {
    const tid = randomUUID();
    await expectRefused({ idToken: await env.idToken({ tid, iss: `${env.emu.authority}/${tid}/v2.0` }) }, 'sso_other_tenant', 401);
    await expectRefused({ idToken: await env.idToken({ iss: `https://login.example.com/${env.emu.tenantId}/v2.0` }) }, 'sso_wrong_issuer', 401);
    await expectRefused({ idToken: await env.idToken({ aud: randomUUID() }) }, 'sso_wrong_audience', 401);
    await expectRefused({ idToken: await env.idToken({ aud: [env.emu.clientId, randomUUID()] }) }, 'sso_wrong_audience', 401);
  });

  it('refuses bad signatures, unknown keys, tampering, alg none and other algorithms', async () => {
    await expectRefused({ idToken: await env.idToken({}, { key: rogueKey() }) }, 'sso_bad_signature', 401);
    await expectRefused({ idToken: await env.idToken({}, { key: rogueKey(), kid: 'not-a-published-kid' }) }, 'sso_bad_signature', 401);
    const [header, , signature] = (await env.idToken()).split('.');
    const forged = Buffer.from(JSON.stringify({ aud: env.emu.clientId, oid: randomUUID() })).toString('base64url');
    await expectRefused({ idToken: `${header}.${forged}.${signature}` }, 'sso_bad_signature', 401);
    const payload = (await env.idToken()).split('.')[1] ?? '';
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    await expectRefused({ idToken: `${none}.${payload}.` }, 'sso_token_algorithm', 401);
    const hs = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    await expectRefused({ idToken: `${hs}.${payload}.c2lnbmF0dXJl` }, 'sso_token_algorithm', 401);
    await expectRefused({ idToken: 'this-is-not-a-jwt-at-all' }, 'sso_token_malformed', 401);
  });

  it('picks up rotated signing keys (unknown kid → JWKS refetch)', async () => {
    env.emu.ops.rotateKeys(true);
    const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken() });
    expect(response.status).toBe(201);
  });

  it('refuses unknown users and users whose extension is not synced', async () => {
    await expectRefused({ idToken: await env.idToken({ oid: randomUUID(), preferred_username: 'nobody@contoso.onmicrosoft.com' }) }, 'sso_user_unknown', 403);
    const local = env.user(1);
    await env.addExtension({ source: 'local', entra_object_id: null, entra_tenant_id: null, email: local.mail, user_principal_name: null });
    await expectRefused({ idToken: await env.idToken({ oid: local.oid, preferred_username: local.upn, email: local.mail }) }, 'sso_user_not_synced', 403);
  });

  it('refuses a disabled extension', async () => {
    const u = env.user(2);
    const ext = await env.addExtension({ entra_object_id: u.oid, email: u.mail, enabled: 0 });
    await expectRefused({ idToken: await env.idToken({ oid: u.oid, preferred_username: u.upn }) }, 'sso_extension_disabled', 403);
    const [latest] = await ssoAudit(env);
    expect(latest).toMatchObject({ actor: `user:${ext.id}`, details: { code: 'sso_extension_disabled' } });
  });

  it('links a synced extension without a recorded tenant on first sign-in, by object id', async () => {
    const u = env.user(3);
    const ext = await env.addExtension({ entra_object_id: u.oid, entra_tenant_id: null, email: 'changed-since@contoso.com' });
    const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken({ oid: u.oid, preferred_username: u.upn }) });
    expect(response.status).toBe(201);
    const row = await env.server.store.db.selectFrom('extension').select('entra_tenant_id').where('id', '=', ext.id).executeTakeFirstOrThrow();
    expect(row.entra_tenant_id).toBe(env.emu.tenantId);
  });

  it('never links by email alone', async () => {
    const u = env.user(4);
    await env.addExtension({ entra_object_id: randomUUID(), email: u.mail, user_principal_name: u.upn });
    await expectRefused({ idToken: await env.idToken({ oid: u.oid, preferred_username: u.upn, email: u.mail }) }, 'sso_user_not_synced', 403);
  });

  it('refuses while SSO is off or the integration is disabled or disconnected', async () => {
    const idToken = await env.idToken();
    expect((await env.setSso({ enabled: false })).status).toBe(200);
    await expectRefused({ idToken }, 'sso_disabled', 403);
    expect((await env.setSso({ enabled: true })).status).toBe(200);
    await env.setIntegrationStatus('disabled');
    await expectRefused({ idToken }, 'sso_integration_disabled', 403);
    await env.setIntegrationStatus('disconnected');
    await expectRefused({ idToken }, 'sso_integration_disconnected', 403);
    await env.setIntegrationStatus('connected');
    expect((await env.post('/api/v1/sso/token', { idToken })).status).toBe(201);
  });

  it('validates the body strictly', async () => {
    const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken(), extra: true });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it('never logs the tokens it handles', async () => {
    const idToken = await env.idToken();
    const body = (await (await env.post('/api/v1/sso/token', { idToken })).json()) as SessionBody;
    const logs = env.server.logs.join('\n');
    for (const secret of [idToken, body.accessToken, body.refreshToken]) expect(logs).not.toContain(secret.slice(-24));
  });
});
