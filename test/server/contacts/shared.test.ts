import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhonebookView } from '../../../server/contacts/index.js';
import { DEFAULT_TENANT, newId, nowIso } from '../../../server/store/index.js';
import { createMailboxUser, startContactWorld, type ContactWorld } from './support.js';

let world: ContactWorld;
let shared: Array<{ id: string; displayName: string }>;
let alice: string;
let carl: string;
let aliceToken: string;
let carlToken: string;
let extOf: Map<string, string>;

const companyBooks = async (): Promise<PhonebookView[]> => world.phonebooks('?kind=company');
const names = (items: Array<{ displayName: string }>) => items.map((c) => c.displayName).sort();

beforeAll(async () => {
  world = await startContactWorld({ disabledRatio: 0, guestRatio: 0 });
  shared = world.emu.ops.listUsers({ shared: true }).map((u) => ({ id: u.id, displayName: u.displayName ?? '' }));
  alice = createMailboxUser(world, 'Alice Viewer');
  carl = createMailboxUser(world, 'Carl Viewer');
  world.emu.ops.createContact(alice, { givenName: 'Anna', surname: 'Private', mobilePhone: '+49 170 555 0301' });
  world.emu.ops.createContact(carl, { givenName: 'Chris', surname: 'Private', mobilePhone: '+49 170 555 0302' });
  world.emu.ops.createContact(shared[0]?.id ?? '', { givenName: 'Sharon', surname: 'Shared', companyName: 'Zyxw Traders', businessPhones: ['+1 (425) 555-0303'] });
  world.emu.ops.createContact(shared[1]?.id ?? '', { givenName: 'Second', surname: 'Box', businessPhones: ['+1 425 555 0304'] });
  await world.sync();
  extOf = new Map([...(await world.byEntra())].map(([oid, ext]) => [oid, ext.id]));
  const run = await world.saveContactSync({
    personal: { enabled: true },
    shared: { enabled: true, mailboxes: { kind: 'selected', mailboxIds: [shared[0]?.id] }, phonebookName: '{mailbox} (shared)' },
  });
  expect(run?.status).toBe('succeeded');
  aliceToken = await world.signIn(alice);
  carlToken = await world.signIn(carl);
});

afterAll(async () => {
  await world.stop();
});

describe('shared mailboxes and visibility', () => {
  it('validates contact-sync settings and fills in defaults', async () => {
    const bad = await world.json<{ error: { code: string; details: { fields: Array<{ path: string }> } } }>('/api/v1/settings/contact-sync', {
      method: 'PUT',
      body: { shared: { enabled: true, mailboxes: { kind: 'selected', mailboxIds: ['not-a-guid'] } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect((await world.json('/api/v1/settings/contact-sync', { method: 'PUT', body: { personal: { enabled: true, extra: true } } })).status).toBe(400);
    const current = await world.json('/api/v1/settings/contact-sync');
    expect(current.body).toEqual({
      personal: { enabled: true, scope: { kind: 'all' } },
      shared: { enabled: true, mailboxes: { kind: 'selected', mailboxIds: [shared[0]?.id] }, phonebookName: '{mailbox} (shared)' },
    });
  });

  it('lists the shared mailboxes of the tenant for the picker', async () => {
    const res = await world.json<{ items: Array<{ id: string; displayName: string }>; nextCursor: string | null }>('/api/v1/shared-mailboxes?limit=2');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    const rest = await world.json<{ items: Array<{ id: string }> }>(`/api/v1/shared-mailboxes?cursor=${res.body.nextCursor ?? ''}`);
    expect([...res.body.items, ...rest.body.items].map((m) => m.id).sort()).toEqual(shared.map((m) => m.id).sort());
    const first = shared[0]?.displayName ?? '';
    const found = await world.json<{ items: Array<{ id: string }> }>(`/api/v1/shared-mailboxes?q=${encodeURIComponent(first.slice(0, 4))}`);
    expect(found.body.items.map((m) => m.id)).toContain(shared[0]?.id);
  });

  it('syncs a selected shared mailbox into a read-only company phonebook named by the admin', async () => {
    const books = await companyBooks();
    expect(books).toHaveLength(1);
    expect(books[0]).toMatchObject({ kind: 'company', name: `${shared[0]?.displayName} (shared)`, sourceMailboxId: shared[0]?.id, readOnly: true, ownerExtensionId: null });
    expect(names(await world.contacts(books[0]?.id ?? ''))).toContain('Sharon Shared');
  });

  it('hides company phonebooks from users until visibility is granted', async () => {
    const book = (await companyBooks())[0]?.id ?? '';
    expect(names((await world.myContacts(aliceToken)).items)).toEqual(['Anna Private']);
    expect((await world.myContacts(aliceToken, 'Sharon')).items).toEqual([]);

    const grant = await world.json(`/api/v1/phonebooks/${book}/visibility`, { method: 'PUT', body: { extensionIds: [extOf.get(alice)] } });
    expect(grant.status).toBe(200);
    expect(grant.body).toEqual({ phonebookId: book, extensionIds: [extOf.get(alice)], groupIds: [] });
    expect(names((await world.myContacts(aliceToken, 'sharon')).items)).toEqual(['Sharon Shared']);
    expect(names((await world.myContacts(aliceToken, 'zyxw tr')).items)).toEqual(['Sharon Shared']);
    expect(names((await world.myContacts(aliceToken, '4255550303')).items)).toEqual(['Sharon Shared']);
    expect((await world.myContacts(carlToken, 'Sharon')).items).toEqual([]);
    // Personal phonebooks stay with their owner.
    expect((await world.myContacts(carlToken, 'Anna')).items).toEqual([]);
    expect(names((await world.myContacts(carlToken, '555 0302')).items)).toEqual(['Chris Private']);
  });

  it('grants visibility through extension groups', async () => {
    const book = (await companyBooks())[0]?.id ?? '';
    const groupId = newId();
    const db = world.server.store.db;
    const now = nowIso();
    await db.insertInto('extension_group').values({ id: groupId, tenant_id: DEFAULT_TENANT, name: 'Reception', source: 'local', entra_object_id: null, read_only: 0, created_at: now, updated_at: now }).execute();
    await db.insertInto('extension_group_member').values({ tenant_id: DEFAULT_TENANT, group_id: groupId, extension_id: extOf.get(carl) ?? '' }).execute();
    const res = await world.json(`/api/v1/phonebooks/${book}/visibility`, { method: 'PUT', body: { groupIds: [groupId] } });
    expect(res.status).toBe(200);
    expect(names((await world.myContacts(carlToken, 'Sharon')).items)).toEqual(['Sharon Shared']);
    expect((await world.myContacts(aliceToken, 'Sharon')).items).toEqual([]);
    expect((await world.json(`/api/v1/phonebooks/${book}/visibility`)).body).toEqual({ phonebookId: book, extensionIds: [], groupIds: [groupId] });
  });

  it('rejects visibility on personal phonebooks and for unknown extensions', async () => {
    const personal = (await world.phonebooks(`?kind=personal&ownerExtensionId=${extOf.get(alice) ?? ''}`))[0]?.id ?? '';
    const refused = await world.json<{ error: { code: string } }>(`/api/v1/phonebooks/${personal}/visibility`, { method: 'PUT', body: { extensionIds: [] } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('phonebook_personal');
    const book = (await companyBooks())[0]?.id ?? '';
    const unknown = await world.json<{ error: { code: string; details: { fields: Array<{ path: string }> } } }>(`/api/v1/phonebooks/${book}/visibility`, {
      method: 'PUT',
      body: { extensionIds: ['no-such-extension'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields[0]?.path).toBe('body.extensionIds');
    expect((await world.json('/api/v1/phonebooks/nope/visibility')).status).toBe(404);
    expect((await world.json(`/api/v1/phonebooks/${book}/visibility`, { method: 'PUT', body: { extensionIds: [], extra: 1 } })).status).toBe(400);
  });

  it('adds a mailbox to the selection and removes the phonebook of one taken out of it', async () => {
    const before = (await companyBooks())[0]?.id ?? '';
    const run = await world.saveContactSync({
      personal: { enabled: true },
      shared: { enabled: true, mailboxes: { kind: 'selected', mailboxIds: [shared[1]?.id] }, phonebookName: '{mailbox} (shared)' },
    });
    expect(run?.status).toBe('succeeded');
    const books = await companyBooks();
    expect(books.map((b) => b.sourceMailboxId)).toEqual([shared[1]?.id]);
    expect(names(await world.contacts(books[0]?.id ?? ''))).toContain('Second Box');
    expect((await world.json(`/api/v1/phonebooks/${before}`)).status).toBe(404);
    const visibility = await world.server.store.db.selectFrom('phonebook_visibility').selectAll().where('phonebook_id', '=', before).execute();
    expect(visibility).toEqual([]);
    expect((await world.myContacts(carlToken, 'Sharon')).items).toEqual([]);
  });

  it('syncs all shared mailboxes when asked to, one phonebook each', async () => {
    const run = await world.saveContactSync({ personal: { enabled: true }, shared: { enabled: true, mailboxes: { kind: 'all' }, phonebookName: 'Company' } });
    expect(run?.status).toBe('succeeded');
    const books = await companyBooks();
    expect(books.map((b) => b.sourceMailboxId).sort()).toEqual(shared.map((m) => m.id).sort());
    expect(books.map((b) => b.name).sort()).toEqual(shared.map((m) => `Company (${m.displayName})`).sort());
  });
});
