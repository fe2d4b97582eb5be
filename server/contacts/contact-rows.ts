import type { Kysely } from 'kysely';
import { newId, nowIso, type ContactTable, type Database } from '../store/index.js';
import type { DomainEvent } from '../webhooks/index.js';
import type { OutlookContact } from './outlook.js';
import { toContactView } from './queries.js';
import { checkContact, type SkipTally } from './validate.js';

type Db = Kysely<Database>;

export interface ContactCounts {
  created: number;
  updated: number;
  deleted: number;
  skipped: number;
}
export const noContactCounts = (): ContactCounts => ({ created: 0, updated: 0, deleted: 0, skipped: 0 });

export interface FolderPage {
  phonebookId: string;
  folderId: string;
  contacts: OutlookContact[];
}

const CHUNK = 200;

const deleted = (phonebookId: string, id: string): DomainEvent => ({ type: 'contact.deleted', data: { id, phonebookId } });
const changed = (type: 'contact.created' | 'contact.updated', row: ContactTable): DomainEvent => ({ type, data: toContactView(row) });

/**
 * Applies one page of a folder's contacts delta (idempotent: rounds may replay). A deletion only
 * removes the contact from this folder, so a contact moved to another folder survives whichever
 * folder is read first. A contact that becomes invalid is removed and counted as skipped.
 */
export async function applyFolderPage(db: Db, tenantId: string, page: FolderPage, tally: SkipTally, counts: ContactCounts): Promise<DomainEvent[]> {
  const { phonebookId, folderId } = page;
  const events: DomainEvent[] = [];
  const ids = page.contacts.map((c) => c.id);
  const existing = new Map<string, { id: string; change_key: string | null; folder_id: string | null }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('contact')
      .select(['id', 'source_id', 'change_key', 'folder_id'])
      .where('phonebook_id', '=', phonebookId)
      .where('source_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) existing.set(r.source_id ?? '', r);
  }
  const now = nowIso();
  const inserts: ContactTable[] = [];
  const removals: string[] = [];
  for (const contact of page.contacts) {
    const known = existing.get(contact.id);
    const checked = contact['@removed'] ? undefined : checkContact(contact);
    if (checked && !checked.ok) {
      tally.add(checked.reasons);
      counts.skipped++;
    }
    if (!checked?.ok) {
      // Deleted in Outlook, or no longer valid: gone from this folder.
      if (known && known.folder_id === folderId) removals.push(known.id);
      continue;
    }
    if (!known) {
      const id = newId();
      const row = { id, tenant_id: tenantId, phonebook_id: phonebookId, source_id: contact.id, folder_id: folderId, ...checked.fields, updated_at: now };
      inserts.push(row);
      events.push(changed('contact.created', row));
      continue;
    }
    if (known.change_key !== null && known.change_key === checked.fields.change_key && known.folder_id === folderId) continue;
    await db.updateTable('contact').set({ ...checked.fields, folder_id: folderId, updated_at: now }).where('id', '=', known.id).execute();
    counts.updated++;
    events.push(changed('contact.updated', { id: known.id, tenant_id: tenantId, phonebook_id: phonebookId, source_id: contact.id, folder_id: folderId, ...checked.fields, updated_at: now }));
  }
  for (let i = 0; i < inserts.length; i += CHUNK) {
    // onConflict: a replayed page (or a racing run) must not fail on the unique (phonebook, source) key.
    await db.insertInto('contact').values(inserts.slice(i, i + CHUNK)).onConflict((oc) => oc.columns(['phonebook_id', 'source_id']).doNothing()).execute();
  }
  counts.created += inserts.length;
  for (let i = 0; i < removals.length; i += CHUNK) {
    await db.deleteFrom('contact').where('id', 'in', removals.slice(i, i + CHUNK)).execute();
  }
  counts.deleted += removals.length;
  for (const id of removals) events.push(deleted(phonebookId, id));
  return events;
}

/** End of a full round of a folder: its rows that the round did not list were deleted meanwhile. */
export async function removeUnseen(db: Db, phonebookId: string, folderId: string, seen: Set<string>, counts: ContactCounts): Promise<DomainEvent[]> {
  const rows = await db.selectFrom('contact').select(['id', 'source_id']).where('phonebook_id', '=', phonebookId).where('folder_id', '=', folderId).execute();
  const gone = rows.filter((r) => !seen.has(r.source_id ?? '')).map((r) => r.id);
  for (let i = 0; i < gone.length; i += CHUNK) await db.deleteFrom('contact').where('id', 'in', gone.slice(i, i + CHUNK)).execute();
  counts.deleted += gone.length;
  return gone.map((id) => deleted(phonebookId, id));
}

/** A folder that disappeared from the mailbox takes its contacts with it. */
export async function removeFolder(db: Db, phonebookId: string, folderId: string, counts: ContactCounts): Promise<DomainEvent[]> {
  const gone = await removeUnseen(db, phonebookId, folderId, new Set(), counts);
  await db.deleteFrom('contact_folder').where('phonebook_id', '=', phonebookId).where('folder_id', '=', folderId).execute();
  return gone;
}
