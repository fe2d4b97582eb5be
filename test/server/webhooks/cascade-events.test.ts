import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhonebookView } from '../../../server/contacts/index.js';
import type { ExtensionGroupView } from '../../../server/directory/index.js';
import { DEFAULT_TENANT, newId, nowIso } from '../../../server/store/index.js';
import { configureWebhookDelivery } from '../../../server/webhooks/index.js';
import { createMailboxUser, startContactWorld, type ContactWorld } from '../contacts/support.js';
import { saveSettings } from '../directory/world.js';
import { startReceiver } from './receiver.js';

/**
 * Deleting an extension also deletes, by foreign-key cascade, its personal phonebook (with the
 * contacts) and its group memberships: the PBX hears of those too, whoever deletes it.
 */
type Receiver = Awaited<ReturnType<typeof startReceiver>>;
type Event = { type: string; data: Record<string, unknown> };
let world: ContactWorld;
let receiver: Receiver;
let carol: string;
let dave: string;

beforeAll(async () => {
  receiver = await startReceiver();
  world = await startContactWorld({ users: 6, sharedMailboxes: 0 });
  configureWebhookDelivery(world.server.store, { retrySchedule: [100, 100, 100], pollMs: 50 });
  carol = createMailboxUser(world, 'Carol Cascade');
  dave = createMailboxUser(world, 'Dave Cascade');
  world.emu.ops.createContact(carol, { givenName: 'Rita', surname: 'Root', mobilePhone: '+49 170 555 0101' });
  world.emu.ops.createContact(carol, { givenName: 'Sam', surname: 'Sub', businessPhones: ['+1 425 555 0102'] });
  world.emu.ops.createContact(dave, { givenName: 'Bert', surname: 'Bobs', mobilePhone: '+49 171 555 0201' });
  world.emu.ops.createGroup({ displayName: 'Cascade Team' }, [carol, dave]);
  world.emu.ops.createGroup({ displayName: 'Cascade Night Shift' }, [carol]);
  await world.sync();
  expect((await saveSettings(world, 'group-sync', { enabled: true }))?.status).toBe('succeeded');
  expect((await world.saveContactSync({ personal: { enabled: true, scope: { kind: 'all' } }, shared: { enabled: false } }))?.status).toBe('succeeded');
  const res = await world.server.admin('/api/v1/webhook-endpoints', { body: { url: receiver.url, events: ['extension.deleted', 'phonebook.*', 'contact.*', 'extension_group.*'] } });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await world.stop();
  await receiver.close();
});

const events = (): Event[] => receiver.received.map((r) => JSON.parse(r.body) as Event);
const about = (type: string, id: string) => events().filter((e) => e.type === type && e.data.id === id);
const groups = async () => (await world.json<{ items: ExtensionGroupView[] }>('/api/v1/extension-groups?limit=1000')).body.items;
const personalBook = async (extensionId: string): Promise<PhonebookView | undefined> => (await world.phonebooks(`?kind=personal&ownerExtensionId=${extensionId}`))[0];

async function extensionOf(entraId: string): Promise<string> {
  const ext = (await world.byEntra()).get(entraId);
  if (!ext) throw new Error(`no extension for ${entraId}`);
  return ext.id;
}

describe('events for what an extension delete takes along', () => {
  it('a user deleted in Entra: extension.deleted, phonebook.deleted for its phonebook, extension_group.updated for its groups', async () => {
    const extensionId = await extensionOf(carol);
    const book = await personalBook(extensionId);
    expect(book).toMatchObject({ kind: 'personal', contactCount: 2 });
    const mine = (await groups()).filter((g) => g.memberIds.includes(extensionId));
    expect(mine.map((g) => g.name).sort()).toEqual(['Cascade Night Shift', 'Cascade Team']);
    world.emu.ops.deleteUser(carol);
    const run = await world.sync();
    expect(run.status).toBe('succeeded');
    expect(run.counts.deleted).toBe(1);
    const updated = (groupId: string) => about('extension_group.updated', groupId);
    await receiver.until(() => about('extension.deleted', extensionId).length > 0 && about('phonebook.deleted', book?.id ?? '').length > 0 && mine.every((g) => updated(g.id).length > 0));
    expect(about('phonebook.deleted', book?.id ?? '').map((e) => e.data)).toEqual([{ id: book?.id, kind: 'personal', name: book?.name }]);
    const after = new Map((await groups()).map((g) => [g.id, g]));
    for (const g of mine) {
      expect(updated(g.id).map((e) => e.data)).toEqual([after.get(g.id)]);
      expect(after.get(g.id)?.memberIds).not.toContain(extensionId);
    }
    // One event per phonebook: the PBX drops its contacts with it.
    expect(events().filter((e) => e.type === 'contact.deleted')).toEqual([]);
    expect(await personalBook(extensionId)).toBeUndefined();
  });

  it('an admin deletes a local extension (extension_group.updated) and then its local group (extension_group.deleted)', async () => {
    const created = await world.json<{ id: string }>('/api/v1/extensions', { method: 'POST', body: { number: '7799', displayName: 'Cascade Lobby' } });
    expect(created.status).toBe(201);
    const lobby = created.body.id;
    const keeper = await extensionOf(dave);
    const groupId = newId();
    const db = world.server.store.db;
    const now = nowIso();
    await db.insertInto('extension_group').values({ id: groupId, tenant_id: DEFAULT_TENANT, name: 'Lobby Phones', source: 'local', entra_object_id: null, read_only: 0, created_at: now, updated_at: now }).execute();
    await db.insertInto('extension_group_member').values([lobby, keeper].map((extension_id) => ({ tenant_id: DEFAULT_TENANT, group_id: groupId, extension_id }))).execute();
    expect((await world.json(`/api/v1/extensions/${lobby}`, { method: 'DELETE' })).status).toBe(204);
    await receiver.until(() => about('extension.deleted', lobby).length > 0 && about('extension_group.updated', groupId).length > 0);
    expect(about('extension_group.updated', groupId).map((e) => e.data)).toEqual([
      { id: groupId, name: 'Lobby Phones', source: 'local', entraObjectId: null, readOnly: false, memberIds: [keeper] },
    ]);
    expect((await world.json(`/api/v1/extension-groups/${groupId}`, { method: 'DELETE' })).status).toBe(204);
    await receiver.until(() => about('extension_group.deleted', groupId).length > 0);
    expect(about('extension_group.deleted', groupId).map((e) => e.data)).toEqual([{ id: groupId }]);
  });

  it('pausing user sync with onDisable=delete: phonebook.deleted for every personal phonebook, extension_group.updated for the groups', async () => {
    const books = await world.phonebooks('?kind=personal');
    expect(books.length).toBeGreaterThan(0);
    const team = (await groups()).find((g) => g.name === 'Cascade Team');
    expect(team?.memberIds.length).toBeGreaterThan(0);
    await saveSettings(world, 'user-sync', { enabled: false }, '?onDisable=delete');
    // Deliveries run concurrently: the update with no members left may arrive before the earlier one.
    const emptied = () => about('extension_group.updated', team?.id ?? '').filter((e) => (e.data.memberIds as string[]).length === 0);
    await receiver.until(() => books.every((b) => about('phonebook.deleted', b.id).length > 0) && emptied().length > 0);
    expect(emptied().map((e) => e.data)).toEqual([expect.objectContaining({ id: team?.id, name: 'Cascade Team', memberIds: [] })]);
    expect(await world.phonebooks('?kind=personal')).toEqual([]);
  });
});
