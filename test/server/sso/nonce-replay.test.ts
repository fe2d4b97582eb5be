import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_TOKEN_MAX_AGE_SECONDS } from '../../../server/sso/id-token.js';
import { startSsoEnv, type SsoEnv } from './support.js';

let env: SsoEnv;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  env = await startSsoEnv();
  await env.addExtension();
});
afterAll(() => env.stop());

const exchange = async (body: Record<string, unknown>) => {
  const response = await env.post('/api/v1/sso/token', body);
  const json = (await response.json()) as { error?: { code: string; details?: Record<string, unknown> } };
  return { status: response.status, code: json.error?.code, details: json.error?.details };
};
const serverNonce = async () => ((await (await env.post('/api/v1/sso/nonce', {})).json()) as { nonce: string }).nonce;

describe('ID-token replay', () => {
  it('refuses a token with a server nonce once the nonce was used, with or without the nonce', async () => {
    const nonce = await serverNonce();
    const idToken = await env.idToken({ nonce });
    expect((await exchange({ idToken, nonce })).status).toBe(201);
    expect(await exchange({ idToken })).toMatchObject({ status: 401, code: 'sso_nonce_required' });
    expect(await exchange({ idToken })).toMatchObject({ status: 401, code: 'sso_nonce_required' });
    expect(await exchange({ idToken, nonce })).toMatchObject({ status: 401, code: 'sso_nonce_mismatch' });
  });

  it('refuses a token with an unused server nonce when the nonce is left out, and keeps the nonce usable', async () => {
    const nonce = await serverNonce();
    const idToken = await env.idToken({ nonce });
    expect(await exchange({ idToken })).toMatchObject({ status: 401, code: 'sso_nonce_required' });
    expect((await exchange({ idToken, nonce })).status).toBe(201);
  });

  it("accepts a fresh MSAL renewal token without a nonce, or with MSAL's own nonce", async () => {
    expect((await exchange({ idToken: await env.idToken() })).status).toBe(201);
    expect((await exchange({ idToken: await env.idToken({ nonce: 'msal-generated-nonce-4f1c' }) })).status).toBe(201);
  });

  it('refuses an ID token issued longer ago than the maximum age, with a hint', async () => {
    const iat = now() - ID_TOKEN_MAX_AGE_SECONDS - 300;
    const refused = await exchange({ idToken: await env.idToken({ iat, nbf: iat }) });
    expect(refused).toMatchObject({ status: 401, code: 'sso_token_too_old', details: { maxAgeSeconds: ID_TOKEN_MAX_AGE_SECONDS } });
    expect(typeof refused.details?.hint).toBe('string');
    // Within the age plus the clock skew it is still accepted.
    const recent = now() - ID_TOKEN_MAX_AGE_SECONDS + 30;
    expect((await exchange({ idToken: await env.idToken({ iat: recent, nbf: recent }) })).status).toBe(201);
  });
});
