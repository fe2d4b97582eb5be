import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhonebookView } from '../../../server/contacts/index.js';
import { configureWebhookDelivery } from '../../../server/webhooks/index.js';
import { startReceiver } from '../webhooks/receiver.js';
import { addFolder, createMailboxUser, problemsOf, startContactWorld, type ContactWorld } from './support.js';

let world: ContactWorld;
let alice: string;
let bob: string;
let customers: string;
let archive: string;
const ids: Record<string, string> = {};

const personalBook = async (entraId: string): Promise<PhonebookView | undefined> => {
  const ext = (await world.byEntra()).get(entraId);
  if (!ext) return undefined;
  return (await world.phonebooks(`?kind=personal&ownerExtensionId=${ext.id}`))[0];
};

beforeAll(async () => {
  world = await startContactWorld();
  alice = createMailboxUser(world, 'Alice Contacts');
  bob = createMailboxUser(world, 'Bob Contacts');
  customers = addFolder(world, alice, 'Customers');
  archive = addFolder(world, alice, 'Old customers', customers);
  const add = (key: string, fields: Record<string, unknown>, folder?: string) => {
    ids[key] = world.emu.ops.createContact(alice, fields, folder).id;
  };
  add('root', { givenName: 'Rita', surname: 'Root', companyName: 'Fabrikam', mobilePhone: '+49 170 555 0101' });
  add('sub', { givenName: 'Sam', surname: 'Sub', businessPhones: ['+1 425 555 0102'] }, customers);
  add('nested', { surname: 'Nested', homePhones: ['+44 20 5555 0103'] }, archive);
  add('noName', { companyName: 'Only A Company', businessPhones: ['+1 425 555 0104'] });
  add('noPhone', { givenName: 'Nora', surname: 'Nophone', mobilePhone: 'ask reception', emailAddresses: [{ name: 'Nora', address: 'nora@example.com' }] });
  add('neither', { companyName: 'Ghost Ltd' });
  world.emu.ops.createContact(bob, { givenName: 'Bert', surname: 'Bobs', mobilePhone: '+49 171 555 0201' });
  await world.sync();
  const run = await world.saveContactSync({ personal: { enabled: true, scope: { kind: 'all' } }, shared: { enabled: false } });
  expect(run?.status).toBe('succeeded');
  expect(run?.kind).toBe('contacts');
});

afterAll(async () => {
  await world.stop();
});

describe('personal contact sync', () => {
  it('syncs the default Contacts folder and its sub-folders recursively into a read-only personal phonebook', async () => {
    const book = await personalBook(alice);
    expect(book).toMatchObject({ kind: 'personal', readOnly: true, sourceMailboxId: alice, contactCount: 3 });
    const contacts = await world.contacts(book?.id ?? '');
    expect(contacts.map((c) => c.displayName).sort()).toEqual(['Nested', 'Rita Root', 'Sam Sub']);
    expect(contacts.find((c) => c.displayName === 'Rita Root')).toMatchObject({
      firstName: 'Rita',
      lastName: 'Root',
      company: 'Fabrikam',
      mobile: '+49 170 555 0101',
      dial: { mobile: { number: '+491705550101', extension: null }, homePhone: null, businessPhone: null },
    });
    expect(contacts.find((c) => c.displayName === 'Sam Sub')?.dial).toEqual({ mobile: null, homePhone: null, businessPhone: { number: '+14255550102', extension: null } });
    expect((await world.contacts(book?.id ?? '', '5550102')).map((c) => c.displayName)).toEqual(['Sam Sub']);
    expect((await world.contacts(book?.id ?? '', 'fabri')).map((c) => c.displayName)).toEqual(['Rita Root']);
  });

  it('skips invalid contacts and reports per-user counts with the reasons', async () => {
    const runs = (await world.json<{ items: Array<{ id: string; kind: string }> }>('/api/v1/sync-runs?limit=10')).body.items;
    const last = runs.find((r) => r.kind === 'contacts');
    const run = await world.waitRun(last?.id ?? '');
    const mine = problemsOf(run, alice);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.name).toBe('Alice Contacts');
    expect(mine[0]?.reason).toBe('3 contacts skipped: 2 with no first or last name, 2 with no mobile, home or business phone number');
    expect(problemsOf(run, bob)).toEqual([]);
    expect(run.counts.skipped).toBeGreaterThanOrEqual(3);
  });

  it('skips users without a mailbox without failing the run', async () => {
    const guestless = createMailboxUser(world, 'Noma Ilbox', { enabled: false });
    await world.sync();
    const run = await world.syncContacts();
    expect(run.status).toBe('succeeded');
    expect(problemsOf(run, guestless)).toEqual([]);
    expect(run.counts.failed).toBe(0);
    expect(await personalBook(guestless)).toBeUndefined();
  });

  it('deletes the phonebook of a user whose mailbox goes away, counting its contacts and telling the PBX', async () => {
    configureWebhookDelivery(world.server.store, { retrySchedule: [100, 100, 100], pollMs: 50 });
    const receiver = await startReceiver();
    try {
      const hook = await world.server.admin('/api/v1/webhook-endpoints', { body: { url: receiver.url, events: ['phonebook.deleted'] } });
      expect(hook.status).toBe(201);
      const leaver = createMailboxUser(world, 'Lena Leaver');
      world.emu.ops.createContact(leaver, { givenName: 'Kept', surname: 'Contact', mobilePhone: '+49 170 555 0909' });
      await world.sync();
      expect((await world.syncContacts()).status).toBe('succeeded');
      const book = await personalBook(leaver);
      expect(book?.contactCount).toBe(1);
      // Its Exchange licence removed: Graph answers 404 MailboxNotEnabledForRESTAPI.
      world.emu.ops.setMailbox(leaver, { enabled: false });
      const run = await world.syncContacts();
      expect(run).toMatchObject({ status: 'succeeded', counts: { deleted: 1, failed: 0 } });
      expect(await personalBook(leaver)).toBeUndefined();
      const deleted = (r: { body: string }) => (JSON.parse(r.body) as { type: string; data: { id: string } }).type === 'phonebook.deleted';
      await receiver.until((all) => all.some(deleted));
      expect(receiver.received.filter(deleted).map((r) => (JSON.parse(r.body) as { data: unknown }).data)).toEqual([{ id: book?.id, kind: 'personal', name: book?.name }]);
    } finally {
      await receiver.close();
    }
  });

  it('applies additions, changes and deletions incrementally through the per-folder delta', async () => {
    const since = world.emu.ops.requests().at(-1)?.seq ?? 0;
    const added = world.emu.ops.createContact(alice, { givenName: 'Nina', surname: 'New', mobilePhone: '+49 170 555 0105' }, archive).id;
    world.emu.ops.updateContact(alice, ids.root ?? '', { companyName: 'Contoso' });
    world.emu.ops.deleteContact(alice, ids.sub ?? '');
    const run = await world.syncContacts();
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ created: 1, updated: 1, deleted: 1, failed: 0 });
    // Only the three changes were read: every folder continued from its delta link.
    expect(run.progress.seen).toBe(3);
    const deltas = world.emu.ops.requests({ since, path: '/contacts/delta' });
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.every((r) => r.query.includes('deltatoken'))).toBe(true);
    const contacts = await world.contacts((await personalBook(alice))?.id ?? '');
    expect(contacts.map((c) => `${c.displayName}/${c.company}`).sort()).toEqual(['Nested/', 'Nina New/', 'Rita Root/Contoso']);
    expect(added).toBeTruthy();
  });

  it('restarts a folder in full when its delta token expired, without deleting what is still there', async () => {
    const before = (await personalBook(alice))?.contactCount;
    world.emu.ops.expireDeltaTokens();
    const run = await world.syncContacts();
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ created: 0, deleted: 0, failed: 0 });
    expect(run.progress.seen).toBeGreaterThanOrEqual(3);
    expect((await personalBook(alice))?.contactCount).toBe(before);
  });

  it('removes a contact that becomes invalid and a folder that is deleted', async () => {
    world.emu.ops.updateContact(alice, ids.root ?? '', { mobilePhone: null, homePhones: [], businessPhones: [] });
    const box = world.emu.state.mailboxes.get(world.emu.ops.user(alice));
    box.folders.delete(archive);
    const run = await world.syncContacts();
    expect(run.counts).toMatchObject({ deleted: 3, skipped: 1 });
    expect(problemsOf(run, alice)[0]?.reason).toBe('1 contact skipped: 1 with no mobile, home or business phone number');
    expect(await world.contacts((await personalBook(alice))?.id ?? '')).toEqual([]);
  });

  it('reports a mailbox that Exchange denies (403) and keeps syncing the others', async () => {
    world.emu.ops.setMailbox(bob, { accessDenied: true });
    world.emu.ops.createContact(alice, { givenName: 'Ada', surname: 'After', mobilePhone: '+49 170 555 0106' });
    try {
      const run = await world.syncContacts();
      expect(run.status).toBe('succeeded');
      expect(run.counts.failed).toBe(1);
      const denied = problemsOf(run, bob);
      expect(denied).toHaveLength(1);
      expect(denied[0]?.reason).toMatch(/ErrorAccessDenied/);
      expect(denied[0]?.hint).toMatch(/application access policy/);
      expect((await world.contacts((await personalBook(alice))?.id ?? '')).map((c) => c.displayName)).toEqual(['Ada After']);
      // What was synced before the policy is kept until the admin decides.
      expect((await personalBook(bob))?.contactCount).toBe(1);
    } finally {
      world.emu.ops.setMailbox(bob, { accessDenied: false });
    }
  });

  it('honours Retry-After when Graph throttles mailbox reads', async () => {
    world.emu.ops.setFaults({ rate429: 1, retryAfter: 0, count: 3, paths: ['re:/contacts'] });
    world.emu.ops.createContact(bob, { givenName: 'Tom', surname: 'Throttled', mobilePhone: '+49 170 555 0107' });
    try {
      const run = await world.syncContacts();
      expect(run.status).toBe('succeeded');
      expect(run.counts.failed).toBe(0);
      expect(world.emu.services.faults.injected).toBe(3);
      expect((await world.contacts((await personalBook(bob))?.id ?? '')).map((c) => c.displayName).sort()).toEqual(['Bert Bobs', 'Tom Throttled']);
    } finally {
      world.emu.ops.clearFaults();
    }
  });

  it('removes the phonebook of a user who leaves the contact-sync scope', async () => {
    const group = world.emu.ops.createGroup({ displayName: 'Contact sync pilots', securityEnabled: true });
    world.emu.ops.addMember(group.id, bob);
    const run = await world.saveContactSync({ personal: { enabled: true, scope: { kind: 'groups', groupIds: [group.id] } } });
    expect(run?.status).toBe('succeeded');
    expect(await personalBook(alice)).toBeUndefined();
    expect(await personalBook(bob)).toBeDefined();
    const orphans = await world.server.store.db.selectFrom('contact_folder').select('phonebook_id').execute();
    const books = new Set((await world.phonebooks()).map((b) => b.id));
    expect(orphans.every((o) => books.has(o.phonebook_id))).toBe(true);
  });

  it('follows user sync: a user who leaves the user-sync scope loses the phonebook, in a contacts run started after the directory run', async () => {
    const { configureContactFollow } = await import('../../../server/contacts/index.js');
    configureContactFollow(world.server.store, { pollMs: 20 });
    world.emu.ops.updateUser(bob, { accountEnabled: false });
    const directory = await world.sync();
    expect(directory.counts.deleted).toBe(1);
    expect(await personalBook(bob)).toBeUndefined();
    const follow = async () => {
      for (let i = 0; i < 500; i++) {
        const runs = (await world.json<{ items: Array<{ id: string; kind: string; createdAt: string }> }>('/api/v1/sync-runs?limit=5')).body.items;
        const after = runs.find((r) => r.kind === 'contacts' && r.createdAt > (directory.finishedAt ?? ''));
        if (after) return world.waitRun(after.id);
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('no contacts run followed the directory run');
    };
    const run = await follow();
    configureContactFollow(world.server.store, { pollMs: 0 });
    expect(run.status).toBe('succeeded');
    expect(run.trigger).toBe('manual');
  });
});
