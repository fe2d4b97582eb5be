import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForContactRun } from '../../../server/contacts/index.js';
import type { IntegrationView } from '../../../server/integration/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { createMailboxUser, startContactWorld, type ContactWorld } from '../contacts/support.js';

type Failure = { error: { code: string; message: string; details?: { fields?: Array<{ path: string; message: string }> } } };

let world: ContactWorld;
beforeAll(async () => {
  world = await startContactWorld({ users: 10, seed: 71, sharedMailboxes: 0 });
  const alice = createMailboxUser(world, 'Alice Retarget');
  world.emu.ops.createContact(alice, { givenName: 'Rita', surname: 'Root', mobilePhone: '+49 170 555 0101' });
  await world.sync();
  expect((await world.saveContactSync({ personal: { enabled: true, scope: { kind: 'all' } }, shared: { enabled: false } }))?.status).toBe('succeeded');
});
afterAll(() => world.stop());

/**
 * The emulator under another origin (localhost, not 127.0.0.1): to the server, another host. Its
 * links still name 127.0.0.1, as Graph's name graph.microsoft.com whatever the client called.
 */
const elsewhere = () => world.emu.authority.replace('127.0.0.1', 'localhost');
const saved = () => ({ tenantId: world.emu.tenantId, clientId: world.emu.clientId, authorityHost: world.emu.authority, graphEndpoint: world.emu.graph });
const put = (body: unknown) => world.json<IntegrationView & Failure>('/api/v1/integration', { method: 'PUT', body });
const lastRequest = () => world.emu.ops.requests().at(-1)?.seq ?? 0;

/** Every stored delta link: directory (users, groups) and contact folders. */
async function deltaLinks(): Promise<string[]> {
  const db = world.server.store.db;
  const directory = await db.selectFrom('delta_state').select('delta_link').where('tenant_id', '=', DEFAULT_TENANT).execute();
  const folders = await db.selectFrom('contact_folder').select('delta_link').where('tenant_id', '=', DEFAULT_TENANT).execute();
  return [...directory, ...folders].map((r) => r.delta_link ?? '');
}

describe('reconnecting without the client secret', () => {
  it('reuses the saved secret for the same tenant, app and endpoints', async () => {
    expect((await put(saved())).status).toBe(200);
    // The tenant GUID compares case-insensitively; left-out endpoints are the saved ones.
    expect((await put({ tenantId: world.emu.tenantId.toUpperCase(), clientId: world.emu.clientId })).status).toBe(200);
  });

  it.each([
    ['another authority host', () => ({ authorityHost: elsewhere() })],
    ['another Graph endpoint', () => ({ graphEndpoint: elsewhere() })],
    ['another client id', () => ({ clientId: world.emu.adminClientId })],
    ['another tenant', () => ({ tenantId: randomUUID() })],
  ])('asks for the secret again for %s, and sends the saved one nowhere', async (_what, change) => {
    const since = lastRequest();
    const res = await put({ ...saved(), ...change() });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details?.fields).toEqual([{ path: 'body.clientSecret', message: expect.stringMatching(/^enter the secret again/) as unknown }]);
    expect(world.emu.ops.requests({ since })).toEqual([]);
    expect((await world.json<IntegrationView>('/api/v1/integration')).body).toMatchObject({ status: 'connected', ...saved() });
  });
});

describe('reconnecting to another tenant, app or Graph endpoint', () => {
  it('keeps the delta links while tenant, app and Graph endpoint stay the same', async () => {
    const before = await deltaLinks();
    expect(before.length).toBeGreaterThan(1);
    expect(before.every((link) => link.startsWith(world.emu.graph))).toBe(true);
    expect((await put({ ...saved(), clientSecret: world.emu.clientSecret })).status).toBe(200);
    expect(await deltaLinks()).toEqual(before);
  });

  it('forgets them, so that the next runs read everything afresh instead of failing on the old links', async () => {
    const extensions = (await world.extensions()).length;
    expect((await put({ ...saved(), clientSecret: world.emu.clientSecret, graphEndpoint: elsewhere() })).status).toBe(200);
    expect((await deltaLinks()).every((link) => link === '')).toBe(true);
    const since = lastRequest();

    const users = await world.sync();
    expect(users).toMatchObject({ status: 'succeeded', counts: { created: 0, deleted: 0, failed: 0 } });
    expect((await world.extensions()).length).toBe(extensions);
    const contacts = await world.syncContacts();
    expect(contacts).toMatchObject({ status: 'succeeded', counts: { deleted: 0, failed: 0 } });
    const rounds = world.emu.ops.requests({ since, path: '/delta' });
    expect(rounds.length).toBeGreaterThan(1);
    expect(rounds.filter((r) => r.query.includes('$deltatoken'))).toEqual([]);
  });

  it('a contacts run still going on the old connection does not write its links back', async () => {
    world.emu.ops.setFaults({ latencyMs: 300, paths: ['re:/contactFolders'] });
    const started = await world.json<{ id: string }>('/api/v1/contact-sync-runs', { method: 'POST' });
    expect(started.status).toBe(202);
    expect((await put({ ...saved(), clientSecret: world.emu.clientSecret })).status).toBe(200);
    await waitForContactRun(world.server.store, started.body.id);
    world.emu.ops.clearFaults();
    expect((await world.waitRun(started.body.id)).status).toBe('succeeded');
    const folders = await world.server.store.db.selectFrom('contact_folder').select('delta_link').where('tenant_id', '=', DEFAULT_TENANT).execute();
    expect(folders.length).toBeGreaterThan(1);
    expect(folders.filter((f) => f.delta_link !== null)).toEqual([]);
  });
});
