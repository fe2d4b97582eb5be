import { SelectQueryNode, TableNode, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateSession, configureSso, DEFAULT_SSO_TUNABLES, revokeSessionsForExtension } from '../../../server/sso/index.js';
import { DEFAULT_TENANT, type Store } from '../../../server/store/index.js';
import { ssoAudit, startSsoEnv, type SessionBody, type SsoEnv } from './support.js';

let env: SsoEnv;

beforeAll(async () => {
  env = await startSsoEnv();
});
afterAll(() => env.stop());

const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

/** Signs a user (by seeded index) in, creating their extension first. */
async function signIn(index: number): Promise<SessionBody & { extensionId: string }> {
  const u = env.user(index);
  const existing = await env.server.store.db.selectFrom('extension').select('id').where('entra_object_id', '=', u.oid).executeTakeFirst();
  const extensionId = existing?.id ?? (await env.addExtension({ entra_object_id: u.oid, email: u.mail })).id;
  const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken({ oid: u.oid, preferred_username: u.upn }) });
  expect(response.status).toBe(201);
  return { ...((await response.json()) as SessionBody), extensionId };
}

const refresh = (refreshToken: string) => env.post('/api/v1/sso/refresh', { refreshToken });

/**
 * The store, except that its next read of the settings table fails the way a query on a
 * connection PostgreSQL terminated does (failover, restart): a plain driver error, not an AppError.
 */
function settingsReadFailsOnce(store: Store): Store {
  let failed = false;
  const plugin: KyselyPlugin = {
    transformQuery({ node }) {
      const readsSettings = SelectQueryNode.is(node) && (node.from?.froms ?? []).some((f) => TableNode.is(f) && f.table.identifier.name === 'settings');
      if (failed || !readsSettings) return node;
      failed = true;
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    },
    transformResult: ({ result }) => Promise.resolve(result),
  };
  return { ...store, db: store.db.withPlugin(plugin) };
}

describe('sessions', () => {
  it('rotates the refresh token and keeps the user signed in', async () => {
    const first = await signIn(0);
    const response = await refresh(first.refreshToken);
    expect(response.status).toBe(200);
    const second = (await response.json()) as SessionBody;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect((await env.get('/api/v1/me', second.accessToken)).status).toBe(200);
    // The replaced access token no longer works; the client is told to refresh.
    const old = await env.get('/api/v1/me', first.accessToken);
    expect({ status: old.status, code: await errorCode(old) }).toEqual({ status: 401, code: 'session_expired' });
  });

  it('revokes the whole family when a rotated refresh token is used again', async () => {
    const first = await signIn(0);
    const second = (await (await refresh(first.refreshToken)).json()) as SessionBody;
    const third = (await (await refresh(second.refreshToken)).json()) as SessionBody;
    const replay = await refresh(first.refreshToken);
    expect({ status: replay.status, code: await errorCode(replay) }).toEqual({ status: 401, code: 'session_refresh_reused' });
    // The legitimate holder's newest tokens died with the family.
    const me = await env.get('/api/v1/me', third.accessToken);
    expect({ status: me.status, code: await errorCode(me) }).toEqual({ status: 401, code: 'session_revoked' });
    expect(await errorCode(await refresh(third.refreshToken))).toBe('session_revoked');
    const [latest] = await ssoAudit(env);
    expect(latest).toMatchObject({ action: 'sso.refresh_reused', actor: `user:${first.extensionId}` });
  });

  it('keeps other sign-ins of the same user alive when one family is revoked', async () => {
    const a = await signIn(0);
    const b = await signIn(0);
    await refresh(a.refreshToken);
    await refresh(a.refreshToken);
    expect((await env.get('/api/v1/me', b.accessToken)).status).toBe(200);
  });

  it('refuses unknown refresh tokens', async () => {
    const response = await refresh('ucb_rt_not-a-real-token-at-all');
    expect({ status: response.status, code: await errorCode(response) }).toEqual({ status: 401, code: 'session_invalid' });
  });

  it('ends a sign-in at logout', async () => {
    const session = await signIn(0);
    const response = await env.post('/api/v1/sso/logout', { refreshToken: session.refreshToken });
    expect(response.status).toBe(204);
    expect(await errorCode(await env.get('/api/v1/me', session.accessToken))).toBe('session_revoked');
    expect(await errorCode(await refresh(session.refreshToken))).toBe('session_revoked');
    expect((await ssoAudit(env))[0]).toMatchObject({ action: 'sso.logout', actor: `user:${session.extensionId}` });
  });

  it('revokes sessions through revokeSessionsForExtension (directory module hook)', async () => {
    const session = await signIn(1);
    expect(await revokeSessionsForExtension(env.server.store, DEFAULT_TENANT, session.extensionId)).toBeGreaterThanOrEqual(1);
    expect(await errorCode(await env.get('/api/v1/me', session.accessToken))).toBe('session_revoked');
    expect(await errorCode(await refresh(session.refreshToken))).toBe('session_revoked');
  });

  it('ends sessions of an extension that was disabled, unlinked or deleted without a revoke call', async () => {
    const db = env.server.store.db;
    const disabled = await signIn(2);
    await db.updateTable('extension').set({ enabled: 0 }).where('id', '=', disabled.extensionId).execute();
    const me = await env.get('/api/v1/me', disabled.accessToken);
    expect({ status: me.status, code: await errorCode(me) }).toEqual({ status: 401, code: 'session_revoked' });
    await db.updateTable('extension').set({ enabled: 1 }).where('id', '=', disabled.extensionId).execute();
    // Re-enabling does not resurrect the revoked session.
    expect(await errorCode(await refresh(disabled.refreshToken))).toBe('session_revoked');

    const unlinked = await signIn(3);
    await db.updateTable('extension').set({ source: 'local', entra_object_id: null }).where('id', '=', unlinked.extensionId).execute();
    expect(await errorCode(await refresh(unlinked.refreshToken))).toBe('session_revoked');
    expect(await errorCode(await env.get('/api/v1/me', unlinked.accessToken))).toBe('session_revoked');

    const deleted = await signIn(4);
    await db.deleteFrom('extension').where('id', '=', deleted.extensionId).execute();
    expect(await errorCode(await env.get('/api/v1/me', deleted.accessToken))).toBe('session_invalid');
    expect(await errorCode(await refresh(deleted.refreshToken))).toBe('session_invalid');
  });

  it('revokes every session when SSO is turned off, and they stay revoked when it comes back', async () => {
    const session = await signIn(5);
    expect((await env.setSso({ enabled: false })).status).toBe(200);
    expect((await env.setSso({ enabled: true })).status).toBe(200);
    expect(await errorCode(await env.get('/api/v1/me', session.accessToken))).toBe('session_revoked');
    expect(await errorCode(await refresh(session.refreshToken))).toBe('session_revoked');
  });

  it('ends sessions when the integration is disabled', async () => {
    const session = await signIn(6);
    await env.setIntegrationStatus('disabled');
    const me = await env.get('/api/v1/me', session.accessToken);
    await env.setIntegrationStatus('connected');
    expect({ status: me.status, code: await errorCode(me) }).toEqual({ status: 401, code: 'session_revoked' });
    expect(await errorCode(await env.get('/api/v1/me', session.accessToken))).toBe('session_revoked');
  });

  it('ends sessions of users synced from another Entra tenant once the integration is re-pointed to a new one', async () => {
    const session = await signIn(7);
    const integration = () => env.server.store.db.updateTable('integration').where('tenant_id', '=', DEFAULT_TENANT);
    await integration().set({ entra_tenant_id: '0f0e0d0c-0b0a-4909-8807-060504030201' }).execute();
    try {
      const me = await env.get('/api/v1/me', session.accessToken);
      expect({ status: me.status, body: (await me.json()) as unknown }).toMatchObject({ status: 401, body: { error: { code: 'session_revoked', details: { reason: 'extension synced from another Microsoft Entra tenant' } } } });
    } finally {
      await integration().set({ entra_tenant_id: env.emu.tenantId }).execute();
    }
    // Revoked for good: pointing the integration back does not revive it.
    expect(await errorCode(await refresh(session.refreshToken))).toBe('session_revoked');
  });

  it('keeps every session when reading the SSO settings fails for a moment (a database failover is not SSO ending)', async () => {
    const [a, b] = [await signIn(8), await signIn(9)];
    const failing = { store: settingsReadFailsOnce(env.server.store), config: env.server.ctx.config };
    await expect(authenticateSession(failing, a.accessToken)).rejects.toMatchObject({ code: '57P01' });
    expect((await env.get('/api/v1/me', a.accessToken)).status).toBe(200);
    expect((await env.get('/api/v1/me', b.accessToken)).status).toBe(200);
    expect((await refresh(b.refreshToken)).status).toBe(200);
  });

  it('rejects requests without a session', async () => {
    const response = await env.get('/api/v1/me');
    expect({ status: response.status, code: await errorCode(response) }).toEqual({ status: 401, code: 'session_required' });
    expect(await errorCode(await env.get('/api/v1/me', 'ucb_at_forged-token-value-xyz'))).toBe('session_invalid');
  });
});

describe('short-lived access tokens', () => {
  afterAll(() => configureSso(env.server.store, { accessTtlMs: DEFAULT_SSO_TUNABLES.accessTtlMs }));

  it('expires the access token and lets the refresh token renew it', async () => {
    configureSso(env.server.store, { accessTtlMs: 1_000 });
    const body = await signIn(0);
    expect(body.expiresIn).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await errorCode(await env.get('/api/v1/me', body.accessToken))).toBe('session_expired');
    const renewed = (await (await refresh(body.refreshToken)).json()) as SessionBody;
    expect((await env.get('/api/v1/me', renewed.accessToken)).status).toBe(200);
  });
});

describe('JWKS cache', () => {
  it('does not refetch keys for unknown kids within the cooldown', async () => {
    const jwks = () => env.emu.services.log.list({ path: '/discovery/v2.0/keys' }).length;
    await signIn(0);
    const before = jwks();
    for (let i = 0; i < 3; i++) {
      const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken({}, { kid: `unknown-${i}` }) });
      expect(await errorCode(response)).toBe('sso_bad_signature');
    }
    await signIn(0);
    expect(jwks() - before).toBeLessThanOrEqual(1);
  });
});
