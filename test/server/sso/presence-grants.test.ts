import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presenceGrantRepo } from '../../../server/presence/index.js';
import { revokeAllSessions } from '../../../server/sso/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { startSsoEnv, type SessionBody, type SsoEnv } from './support.js';

/** A sign-in's delegated presence grant (sealed Entra refresh token) ends with the sign-in. */
let env: SsoEnv;
let extensionId: string;

beforeAll(async () => {
  env = await startSsoEnv();
  extensionId = (await env.addExtension()).id;
});
afterAll(() => env.stop());

/** Signs in and stores a presence grant for that sign-in, as the web flow does. */
async function signInWithGrant(): Promise<SessionBody> {
  const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken() });
  expect(response.status).toBe(201);
  const session = (await response.json()) as SessionBody;
  const row = await env.server.store.db.selectFrom('session').select('id').where('revoked_at', 'is', null).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  await presenceGrantRepo(env.server.store).save(DEFAULT_TENANT, extensionId, row.id, 'entra-refresh-token-of-the-sign-in');
  expect(await grants()).toEqual([extensionId]);
  return session;
}

const grants = async () => (await env.server.store.db.selectFrom('presence_grant').select('extension_id').execute()).map((g) => g.extension_id);
const settle = { deleteExtensions: false, deleteGroups: false };

describe('presence grants end with the sign-in', () => {
  it('logout deletes the grant', async () => {
    const session = await signInWithGrant();
    expect((await env.post('/api/v1/sso/logout', { refreshToken: session.refreshToken })).status).toBe(204);
    expect(await grants()).toEqual([]);
  });

  it('refresh-token reuse deletes the grant', async () => {
    const session = await signInWithGrant();
    expect((await env.post('/api/v1/sso/refresh', { refreshToken: session.refreshToken })).status).toBe(200);
    expect(await grants()).toEqual([extensionId]);
    expect((await env.post('/api/v1/sso/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect(await grants()).toEqual([]);
  });

  it('revokeAllSessions deletes the grant', async () => {
    await signInWithGrant();
    expect(await revokeAllSessions(env.server.store, DEFAULT_TENANT, 'sso_disabled')).toBeGreaterThan(0);
    expect(await grants()).toEqual([]);
  });

  it('disconnecting the integration deletes the grant', async () => {
    await signInWithGrant();
    expect((await env.server.admin('/api/v1/integration/disconnect', { method: 'POST', body: settle })).status).toBe(200);
    expect(await grants()).toEqual([]);
  });
});
