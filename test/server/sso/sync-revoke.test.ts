import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveUserSync, startSync, waitForRun } from '../../../server/directory/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { startSsoEnv, type SessionBody, type SsoEnv } from './support.js';

let env: SsoEnv;

beforeAll(async () => {
  env = await startSsoEnv();
});
afterAll(() => env.stop());

const deps = () => ({ store: env.server.store, config: env.server.ctx.config });

describe('directory sync ends SSO sessions', () => {
  it('revokes the sessions of an extension the sync disables, once the change commits', async () => {
    const saved = await saveUserSync(deps(), DEFAULT_TENANT, { enabled: true, deleteWhen: { disabled: false, deleted: true }, maxExtensions: 100 }, 'keep');
    await waitForRun(env.server.store, saved.runId ?? '');
    const u = env.user(0);
    const response = await env.post('/api/v1/sso/token', { idToken: await env.idToken({ oid: u.oid, preferred_username: u.upn }) });
    expect(response.status).toBe(201);
    const session = (await response.json()) as SessionBody;
    const sessions = () => env.server.store.db.selectFrom('session').innerJoin('extension', 'extension.id', 'session.extension_id').select(['session.revoked_reason', 'extension.enabled']).where('extension.entra_object_id', '=', u.oid).execute();
    expect(await sessions()).toEqual([{ revoked_reason: null, enabled: 1 }]);

    env.emu.ops.updateUser(u.oid, { accountEnabled: false });
    const runId = await startSync(deps(), DEFAULT_TENANT, { trigger: 'manual' });
    await waitForRun(env.server.store, runId);
    // Revoked by the sync itself (reason `extension`), not later by a request noticing the disabled extension.
    expect(await sessions()).toEqual([{ revoked_reason: 'extension', enabled: 0 }]);
    expect((await env.post('/api/v1/sso/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
  });
});
