import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { clientSecretContext } from '../../../server/graph/index.js';
import { configureSso, type SsoTunables } from '../../../server/sso/index.js';
import { DEFAULT_TENANT, integrationRepo, nowIso, type ExtensionTable } from '../../../server/store/index.js';
import type { ConfigInput } from '../../../server/config.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { extensionRow } from '../../support/extension-row.js';
import { startTestServer, type TestServer } from '../../support/server.js';

/** An emulated Entra tenant and a ucbridge server connected to it, SSO on. */
export interface SsoEnv {
  emu: Emulator;
  server: TestServer;
  /** A seeded Entra user of the emulator (UPN, object id, mail). */
  user(index: number): { oid: string; upn: string; mail: string; displayName: string };
  /** Inserts the extension directory sync would have created for an Entra user. */
  addExtension(overrides?: Partial<ExtensionTable>): Promise<ExtensionTable>;
  /** An ID token signed with the emulator's active key (or another key), claims overridable. */
  idToken(claims?: JWTPayload, options?: { key?: KeyObject; kid?: string; alg?: string }): Promise<string>;
  setIntegrationStatus(status: string): Promise<void>;
  setSso(body: Record<string, unknown>): Promise<Response>;
  /** POST to the server without admin credentials. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, accessToken?: string, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export async function startSsoEnv(options: { tunables?: Partial<SsoTunables>; config?: ConfigInput } = {}): Promise<SsoEnv> {
  const emu = await startEmulator({ users: 12, seed: 7 });
  const server = await startTestServer({ graphCaFile: emu.caFile, authRateLimit: 10_000, ...options.config });
  if (options.tunables) configureSso(server.store, options.tunables);
  emu.state.readApp.redirectUris.push({ uri: `${server.url}/sso/callback`, type: 'web' });
  const now = nowIso();
  await integrationRepo(server.store.db).upsert({
    tenant_id: DEFAULT_TENANT,
    entra_tenant_id: emu.tenantId,
    client_id: emu.clientId,
    client_secret: server.store.secrets.seal(emu.clientSecret, clientSecretContext(DEFAULT_TENANT)),
    pending_client_secret: null,
    secret_hint: emu.clientSecret.slice(0, 3),
    secret_expires_at: null,
    status: 'connected',
    authority_host: emu.authority,
    graph_endpoint: emu.graph,
    permissions: '[]',
    last_tested_at: null,
    created_at: now,
    updated_at: now,
  });
  // Numbers are handed out in order: random ones collided now and then (birthday odds over a file's tests).
  let nextNumber = 1000;
  const env: SsoEnv = {
    emu,
    server,
    user(index) {
      const users = emu.state.directory.users.filter((u) => u.data.accountEnabled !== false && u.data.userType !== 'Guest');
      const record = users[index];
      if (!record) throw new Error(`no seeded user ${index}`);
      const d = record.data;
      return { oid: d.id, upn: d.userPrincipalName, mail: d.mail ?? d.userPrincipalName, displayName: d.displayName ?? '' };
    },
    async addExtension(overrides = {}) {
      const u = env.user(0);
      const row = extensionRow({
        number: String(nextNumber++),
        first_name: 'Test',
        last_name: 'User',
        display_name: u.displayName,
        email: u.mail,
        source: 'entra',
        entra_object_id: u.oid,
        entra_tenant_id: emu.tenantId,
        user_principal_name: u.upn,
        ...overrides,
      });
      await server.store.db.insertInto('extension').values(row).execute();
      return row;
    },
    async idToken(claims = {}, options = {}) {
      const key = emu.services.keys.active;
      const at = Math.floor(Date.now() / 1000);
      const u = env.user(0);
      return new SignJWT({
        aud: emu.clientId,
        iss: `${emu.authority}/${emu.tenantId}/v2.0`,
        tid: emu.tenantId,
        oid: u.oid,
        sub: 'pairwise-sub',
        preferred_username: u.upn,
        name: u.displayName,
        ver: '2.0',
        iat: at,
        nbf: at,
        exp: at + 3600,
        ...claims,
      })
        .setProtectedHeader({ typ: 'JWT', alg: options.alg ?? 'RS256', kid: options.kid ?? key.kid })
        .sign(options.key ?? key.privateKey);
    },
    async setIntegrationStatus(status) {
      await integrationRepo(server.store.db).update(DEFAULT_TENANT, { status });
    },
    setSso: (body) => server.admin('/api/v1/settings/sso', { method: 'PUT', body }),
    post: (path, body, headers = {}) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
    get: (path, accessToken, headers = {}) =>
      fetch(`${server.url}${path}`, { headers: { ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}), ...headers } }),
    async stop() {
      await server.stop();
      await emu.close();
    },
  };
  const enabled = await env.setSso({ enabled: true, allowedOrigins: ['http://127.0.0.1:5999'] });
  if (enabled.status !== 200) throw new Error(`enabling SSO failed: ${await enabled.text()}`);
  return env;
}

/** A key Entra never published. */
export const rogueKey = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** The last audit entries of SSO, newest first. */
export async function ssoAudit(env: SsoEnv): Promise<Array<{ action: string; actor: string; details: Record<string, unknown> }>> {
  const rows = await env.server.store.db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'details', 'at'])
    .where('action', 'like', 'sso.%')
    .orderBy('at', 'desc')
    .execute();
  return rows.map((r) => ({ action: r.action, actor: r.actor, details: JSON.parse(r.details) as Record<string, unknown> }));
}

export interface SessionBody {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  me: { extension: { id: string; number: string }; user: { entraObjectId: string } };
}
