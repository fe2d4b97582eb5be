import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSecretContext } from '../../../server/graph/index.js';
import { DEFAULT_TENANT, integrationRepo, nowIso } from '../../../server/store/index.js';
import { startSsoEnv, type SessionBody, type SsoEnv } from './support.js';

/** SPEC §6: disabling or disconnecting the integration ends every SSO session at once. */
let env: SsoEnv;

beforeAll(async () => {
  env = await startSsoEnv();
  await env.addExtension();
});
afterAll(() => env.stop());

async function signIn(): Promise<SessionBody> {
  const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken() });
  expect(response.status).toBe(201);
  return (await response.json()) as SessionBody;
}

const liveSessions = async () =>
  (await env.server.store.db.selectFrom('session').select('revoked_reason').where('revoked_at', 'is', null).execute()).length;

const settle = { deleteExtensions: false, deleteGroups: false };

/** Status of the session's requests: me, status stream, refresh. */
async function sessionAnswers(session: SessionBody): Promise<number[]> {
  const abort = new AbortController();
  const stream = await fetch(`${env.server.url}/api/v1/me/status/stream`, {
    headers: { authorization: `Bearer ${session.accessToken}` },
    signal: abort.signal,
  });
  abort.abort(); // a stream that was (wrongly) opened would otherwise stay open
  const me = await env.get('/api/v1/me', session.accessToken);
  const refresh = await env.post('/api/v1/sso/refresh', { refreshToken: session.refreshToken });
  return [stream.status, me.status, refresh.status];
}

describe('integration disabled or disconnected', () => {
  it('disable revokes every session at once, and enable does not bring them back', async () => {
    const session = await signIn();
    expect(await liveSessions()).toBeGreaterThan(0);
    expect((await env.server.admin('/api/v1/integration/disable', { method: 'POST', body: settle })).status).toBe(200);
    // Revoked by the disable itself, before any request of the session arrives.
    expect(await liveSessions()).toBe(0);
    const revoked = await env.server.store.db.selectFrom('session').select('revoked_reason').where('revoked_reason', '=', 'integration').execute();
    expect(revoked.length).toBeGreaterThan(0);
    expect((await env.server.admin('/api/v1/integration/enable', { method: 'POST' })).status).toBe(200);
    expect(await sessionAnswers(session)).toEqual([401, 401, 401]);
    // New sign-ins work again.
    expect((await signIn()).accessToken).toMatch(/^ucb_at_/);
  });

  // Disconnect also releases or deletes every synced extension, whose directory hook revokes their
  // sessions too: this guards the outcome, the integration hook is the second line.
  it('disconnect revokes every session at once, and reconnecting does not bring them back', async () => {
    const session = await signIn();
    expect((await env.server.admin('/api/v1/integration/disconnect', { method: 'POST', body: settle })).status).toBe(200);
    expect(await liveSessions()).toBe(0);
    const now = nowIso();
    await integrationRepo(env.server.store.db).upsert({
      tenant_id: DEFAULT_TENANT,
      entra_tenant_id: env.emu.tenantId,
      client_id: env.emu.clientId,
      client_secret: env.server.store.secrets.seal(env.emu.clientSecret, clientSecretContext(DEFAULT_TENANT)),
      pending_client_secret: null,
      secret_hint: env.emu.clientSecret.slice(0, 3),
      secret_expires_at: null,
      status: 'connected',
      authority_host: env.emu.authority,
      graph_endpoint: env.emu.graph,
      permissions: '[]',
      last_tested_at: null,
      created_at: now,
      updated_at: now,
    });
    const answers = await sessionAnswers(session);
    expect(answers.every((status) => status === 401)).toBe(true);
  });
});
