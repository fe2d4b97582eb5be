import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationView, RedirectUri } from '../../../server/integration/index.js';
import { saveSettings, startWorld, type World } from '../directory/world.js';

type View = IntegrationView & { redirectUris: RedirectUri[] };
type Failure = { error: { code: string; message: string; details?: { hint?: string } } };

let world: World;
beforeAll(async () => {
  world = await startWorld({ emulator: { users: 25, seed: 31 } });
});
afterAll(() => world.stop());

let secret = '';
const creds = () => ({ tenantId: world.emu.tenantId, clientId: world.emu.clientId, clientSecret: secret || world.emu.clientSecret, authorityHost: world.emu.authority, graphEndpoint: world.emu.graph });
const put = (body: unknown) => world.json<View & Failure>('/api/v1/integration', { method: 'PUT', body });
const post = (path: string, body?: unknown) => world.json<View & Failure>(`/api/v1/integration${path}`, { method: 'POST', ...(body ? { body } : {}) });

describe('connect', () => {
  it.each([
    ['an unknown tenant', { tenantId: randomUUID() }, 'graph_tenant_not_found'],
    ['an unknown client id', { clientId: randomUUID() }, 'graph_client_not_found'],
    ['a wrong secret', { clientSecret: 'not-the-secret' }, 'graph_secret_invalid'],
  ])('refuses %s with a distinct, actionable error and saves nothing', async (_what, change, code) => {
    const res = await put({ ...creds(), ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details?.hint).toBeTruthy();
    expect(JSON.stringify(res.body)).not.toContain(world.emu.clientSecret);
    expect((await world.json<View>('/api/v1/integration')).body.status).toBe('disconnected');
  });

  it('connects, reports every permission and lists the redirect URIs; never returns the secret', async () => {
    const res = await put(creds());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'connected', tenantId: world.emu.tenantId, secretHint: `${world.emu.clientSecret.slice(0, 3)}…` });
    expect(res.body.permissions.map((p) => [p.name, p.granted])).toEqual([
      ['User.Read.All', true],
      ['Group.Read.All', true],
      ['Directory.Read.All', true],
      ['Contacts.Read', true],
      ['Presence.Read.All', true],
      ['Calendars.Read', true],
      ['Presence.ReadWrite.All', true],
      ['Application.Read.All', true],
    ]);
    expect(res.body.redirectUris[0]).toEqual({ uri: `${world.server.url}/api/v1/integration/consent/callback`, type: 'web', purpose: 'Admin consent callback' });
    // SSO adds its web callback and the SPA URIs of the SDK and the browser extension.
    expect(res.body.redirectUris).toContainEqual(expect.objectContaining({ uri: `${world.server.url}/sso/callback`, type: 'web' }));
    expect(res.body.redirectUris).toContainEqual(expect.objectContaining({ uri: 'https://<extension-id>.chromiumapp.org/', type: 'spa' }));
    // Firefox derives it from the add-on id the manifest fixes: ready to copy.
    const gecko = (JSON.parse(readFileSync(new URL('../../../manifest.json', import.meta.url), 'utf8')) as { browser_specific_settings: { gecko: { id: string } } }).browser_specific_settings.gecko.id;
    const firefox = `https://${createHash('sha1').update(gecko).digest('hex')}.extensions.allizom.org/`;
    expect(res.body.redirectUris).toContainEqual(expect.objectContaining({ uri: firefox, type: 'spa' }));
    expect(res.body.redirectUris.filter((r) => r.type === 'spa')).toHaveLength(3);
    const text = JSON.stringify(res.body) + world.server.logs.join('\n');
    expect(text).not.toContain(world.emu.clientSecret);
  });

  it('names each missing permission and what it disables', async () => {
    world.emu.ops.setPermissions(['Group.Read.All', 'Contacts.Read']);
    await saveSettings(world, 'group-sync', { enabled: true });
    const res = await post('/test');
    const byName = new Map(res.body.permissions.map((p) => [p.name, p]));
    expect(byName.get('User.Read.All')).toMatchObject({ granted: false, disables: expect.stringMatching(/User sync/) as unknown });
    expect(byName.get('Presence.Read.All')?.granted).toBe(false);
    expect(byName.get('Group.Read.All')).toMatchObject({ granted: true, required: true });
    world.emu.ops.setPermissions(['User.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Contacts.Read', 'Presence.Read.All', 'Calendars.Read', 'Presence.ReadWrite.All']);
    expect((await post('/test')).body.permissions.every((p) => p.granted)).toBe(true);
  });
});

describe('client secret', () => {
  it('keeps the old secret when the new one does not verify, switches when it does', async () => {
    const bad = await post('/secret', { clientSecret: 'wrong' });
    expect(bad.body.error.code).toBe('graph_secret_invalid');
    expect((await post('/test')).status).toBe(200);

    const fresh = world.emu.ops.addSecret();
    const ok = await post('/secret', { clientSecret: fresh.secretText });
    expect(ok.status).toBe(200);
    secret = fresh.secretText;
    expect(ok.body.secretHint).toBe(`${fresh.secretText.slice(0, 3)}…`);
    world.emu.ops.revokeSecret(undefined, world.emu.state.readApp.secrets[0]?.keyId);
    expect((await post('/test')).status).toBe(200);
  });

  it('reports an expired secret as such', async () => {
    world.emu.ops.expireSecret();
    const res = await post('/test');
    expect(res.body.error.code).toBe('graph_secret_expired');
    const fresh = world.emu.ops.addSecret();
    expect((await post('/secret', { clientSecret: fresh.secretText })).status).toBe(200);
    secret = fresh.secretText;
  });
});

describe('admin consent', () => {
  it('builds the /adminconsent URL and accepts only its own state on the callback', async () => {
    const { url } = (await world.json<{ url: string }>('/api/v1/integration/consent')).body;
    const consent = new URL(url);
    expect(consent.pathname).toBe(`/${world.emu.tenantId}/adminconsent`);
    expect(consent.searchParams.get('client_id')).toBe(world.emu.clientId);
    const state = consent.searchParams.get('state')!;
    const callback = `${world.server.url}/api/v1/integration/consent/callback`;
    const granted = await fetch(`${callback}?admin_consent=True&tenant=${world.emu.tenantId}&state=${encodeURIComponent(state)}`, { redirect: 'manual' });
    expect(granted.status).toBe(303);
    expect(granted.headers.get('location')).toMatch(/\/admin#\/integration\?consent=granted$/);
    const denied = await fetch(`${callback}?error=access_denied&state=${encodeURIComponent(state)}`, { redirect: 'manual' });
    expect(denied.headers.get('location')).toMatch(/consent=error&reason=access_denied/);
    const forged = await fetch(`${callback}?admin_consent=True&state=forged`, { redirect: 'manual' });
    expect(forged.status).toBe(400);
  });
});

describe('disable, enable, disconnect', () => {
  it('disable keeps synced extensions read-only and stops sync; enable resumes', async () => {
    await saveSettings(world, 'user-sync', { enabled: true });
    const count = (await world.extensions()).length;
    expect(count).toBeGreaterThan(0);
    expect((await post('/disable', { deleteExtensions: false, deleteGroups: false })).body.status).toBe('disabled');
    const all = await world.extensions();
    expect(all.length).toBe(count);
    expect(all.every((e) => e.readOnly)).toBe(true);
    expect((await world.json<Failure>('/api/v1/sync-runs', { method: 'POST' })).body.error.code).toBe('integration_disabled');
    expect((await post('/enable')).body.status).toBe('connected');
    expect((await world.sync()).status).toBe('succeeded');
    expect((await world.extensions()).every((e) => !e.readOnly)).toBe(true);
  });

  it('disable can delete synced objects; enable brings them back', async () => {
    const count = (await world.extensions()).length;
    await post('/disable', { deleteExtensions: true, deleteGroups: true });
    expect(await world.extensions()).toEqual([]);
    await post('/enable');
    expect((await world.sync()).status).toBe('succeeded');
    expect((await world.extensions()).length).toBe(count);
  });

  it('enable keeps the objects of a sync paused with "keep" read-only, until that sync resumes', async () => {
    type Group = { source: string; readOnly: boolean };
    const groups = async () => (await world.json<{ items: Group[] }>('/api/v1/extension-groups?limit=1000')).body.items.filter((g) => g.source === 'entra');
    await saveSettings(world, 'group-sync', { enabled: true });
    expect((await groups()).length).toBeGreaterThan(0);
    await saveSettings(world, 'user-sync', { enabled: false }, '?onDisable=keep');
    await post('/disable', { deleteExtensions: false, deleteGroups: false });
    expect((await post('/enable')).body.status).toBe('connected');

    const synced = (await world.extensions()).filter((e) => e.source === 'entra');
    expect(synced.length).toBeGreaterThan(0);
    expect(synced.every((e) => e.readOnly)).toBe(true);
    const edit = await world.json<Failure>(`/api/v1/extensions/${synced[0]!.id}`, { method: 'PATCH', body: { department: 'Edited locally' } });
    expect(edit.body.error.code).toBe('extension_read_only');
    // Group sync is on: its groups are Entra-managed again.
    expect((await groups()).every((g) => !g.readOnly)).toBe(true);

    await saveSettings(world, 'user-sync', { enabled: true });
    expect((await world.extensions()).filter((e) => e.source === 'entra').every((e) => !e.readOnly)).toBe(true);
  });

  it('resuming a sync while the integration is disabled keeps its objects read-only, until enabled', async () => {
    const synced = async () => (await world.extensions()).filter((e) => e.source === 'entra');
    await saveSettings(world, 'user-sync', { enabled: false }, '?onDisable=keep');
    await post('/disable', { deleteExtensions: false, deleteGroups: false });
    await saveSettings(world, 'user-sync', { enabled: true });
    expect((await synced()).length).toBeGreaterThan(0);
    expect((await synced()).every((e) => e.readOnly)).toBe(true);
    await post('/enable');
    expect((await synced()).every((e) => !e.readOnly)).toBe(true);
  });

  it('disconnect releases synced extensions to local management, or deletes them', async () => {
    const res = await post('/disconnect', { deleteExtensions: false, deleteGroups: false });
    expect(res.body.status).toBe('disconnected');
    const released = await world.extensions();
    expect(released.length).toBeGreaterThan(0);
    expect(released.every((e) => e.source === 'local' && e.entraObjectId === null)).toBe(true);
    expect((await world.json(`/api/v1/extensions/${released[0]!.id}`, { method: 'DELETE' })).status).toBe(204);

    await put(creds());
    await world.sync();
    await post('/disconnect', { deleteExtensions: true, deleteGroups: true });
    expect((await world.extensions()).every((e) => e.source === 'local')).toBe(true);
  });
});
