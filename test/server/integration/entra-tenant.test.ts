import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationView } from '../../../server/integration/index.js';
import { DEFAULT_TENANT, integrationRepo } from '../../../server/store/index.js';
import { saveSettings, startWorld, type World } from '../directory/world.js';

let world: World;
/** A fresh emulated tenant and server, SSO on, not connected yet. */
async function startSsoWorld(): Promise<World> {
  world = await startWorld({ emulator: { users: 6, seed: 53 } });
  const sso = await world.server.admin('/api/v1/settings/sso', { method: 'PUT', body: { enabled: true } });
  if (sso.status !== 200) throw new Error(`enabling SSO failed: ${await sso.text()}`);
  return world;
}

const domain = () => world.emu.state.tenant.domain;
const connectAs = (tenantId: string) =>
  world.json<IntegrationView>('/api/v1/integration', {
    method: 'PUT',
    body: { tenantId, clientId: world.emu.clientId, clientSecret: world.emu.clientSecret, authorityHost: world.emu.authority, graphEndpoint: world.emu.graph },
  });
const storedTenant = async () => (await integrationRepo(world.server.store.db).get(DEFAULT_TENANT))?.entra_tenant_id;

/** An ID token as Entra issues it for a synced user of the emulated tenant. */
async function idToken(oid: string): Promise<string> {
  const { emu } = world;
  const at = Math.floor(Date.now() / 1000);
  return new SignJWT({ aud: emu.clientId, iss: `${emu.authority}/${emu.tenantId}/v2.0`, tid: emu.tenantId, oid, ver: '2.0', iat: at, nbf: at, exp: at + 600 })
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: emu.services.keys.active.kid })
    .sign(emu.services.keys.active.privateKey);
}

/** A synced extension: its object id and the tenant id it carries. */
async function syncedExtension(): Promise<{ oid: string; entraTenantId: string | null }> {
  const row = await world.server.store.db
    .selectFrom('extension')
    .select(['entra_object_id', 'entra_tenant_id'])
    .where('source', '=', 'entra')
    .orderBy('number')
    .executeTakeFirstOrThrow();
  return { oid: row.entra_object_id ?? '', entraTenantId: row.entra_tenant_id };
}

const signIn = async (oid: string) =>
  fetch(`${world.server.url}/api/v1/sso/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idToken: await idToken(oid) }),
  });

describe('connecting by the tenant as the admin typed it', () => {
  afterEach(() => world.stop());

  it.each([
    ['its verified domain', () => domain()],
    ['an upper-case GUID', () => world.emu.tenantId.toUpperCase()],
  ])('connected by %s: stores the lower-case GUID, syncs it, and SSO signs in', async (_what, typed) => {
    await startSsoWorld();
    expect(world.emu.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typed()).not.toBe(world.emu.tenantId);
    const res = await connectAs(typed());
    expect(res.status).toBe(200);
    expect(res.body.tenantId).toBe(world.emu.tenantId);
    expect((await world.json<IntegrationView>('/api/v1/integration')).body.tenantId).toBe(world.emu.tenantId);
    expect((await saveSettings(world, 'user-sync', { enabled: true }))?.status).toBe('succeeded');
    const synced = await world.server.store.db.selectFrom('extension').select('entra_tenant_id').where('source', '=', 'entra').execute();
    expect(synced.length).toBeGreaterThan(0);
    expect(new Set(synced.map((e) => e.entra_tenant_id))).toEqual(new Set([world.emu.tenantId]));
    const response = await signIn((await syncedExtension()).oid);
    expect(response.status).toBe(201);
  });

});

describe('a tenant saved as a domain before the upgrade', () => {
  beforeAll(async () => {
    await startSsoWorld();
    expect((await connectAs(world.emu.tenantId)).status).toBe(200);
    expect((await saveSettings(world, 'user-sync', { enabled: true }))?.status).toBe('succeeded');
  });
  afterAll(() => world.stop());

  it('a tenant saved as a domain before the upgrade: sign-in works at once, the next test stores the GUID', async () => {
    await integrationRepo(world.server.store.db).update(DEFAULT_TENANT, { entra_tenant_id: domain() });
    await world.server.store.db.updateTable('extension').set({ entra_tenant_id: domain() }).where('source', '=', 'entra').execute();
    const { oid } = await syncedExtension();
    expect((await signIn(oid)).status).toBe(201);
    expect((await syncedExtension()).entraTenantId).toBe(world.emu.tenantId);
    const tested = await world.json<IntegrationView>('/api/v1/integration/test', { method: 'POST' });
    expect(tested.status).toBe(200);
    expect(await storedTenant()).toBe(world.emu.tenantId);
  });

  it('a secret rotation also stores the GUID', async () => {
    await integrationRepo(world.server.store.db).update(DEFAULT_TENANT, { entra_tenant_id: domain() });
    const fresh = world.emu.ops.addSecret(undefined, 90);
    const res = await world.json<IntegrationView>('/api/v1/integration/secret', { method: 'POST', body: { clientSecret: fresh.secretText } });
    expect(res.status).toBe(200);
    expect(await storedTenant()).toBe(world.emu.tenantId);
  });

  it('still refuses an ID token of another tenant', async () => {
    const { emu } = world;
    const other = '00000000-0000-4000-8000-000000000001';
    const at = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ aud: emu.clientId, iss: `${emu.authority}/${other}/v2.0`, tid: other, oid: (await syncedExtension()).oid, iat: at, nbf: at, exp: at + 600 })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: emu.services.keys.active.kid })
      .sign(emu.services.keys.active.privateKey);
    const res = await fetch(`${world.server.url}/api/v1/sso/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idToken: token }) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('sso_other_tenant');
  });
});
