import type { Kysely } from 'kysely';
import { z } from 'zod';
import { errors } from '../errors.js';
import { fromFlag, newId, nowIso, type Database, type PhonebookTable } from '../store/index.js';

type Db = Kysely<Database>;

export const phonebookKind = z.enum(['personal', 'company']);

export const phonebookView = z.object({
  id: z.string(),
  kind: phonebookKind,
  name: z.string(),
  /** Personal phonebooks: the extension that owns it. */
  ownerExtensionId: z.string().nullable(),
  /** The Entra object id of the mailbox its contacts come from. */
  sourceMailboxId: z.string().nullable(),
  source: z.string(),
  readOnly: z.boolean(),
  contactCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PhonebookView = z.infer<typeof phonebookView>;

/** Contacts and phonebooks that ucbridge created from Outlook. */
export const OUTLOOK_SOURCE = 'outlook';

export function toPhonebookView(row: PhonebookTable, contactCount: number): PhonebookView {
  return {
    id: row.id,
    kind: phonebookKind.catch('company').parse(row.kind),
    name: row.name,
    ownerExtensionId: row.owner_extension_id,
    sourceMailboxId: row.source_mailbox_id,
    source: row.source,
    readOnly: fromFlag(row.read_only),
    contactCount,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function contactCount(db: Db, phonebookId: string): Promise<number> {
  const row = await db
    .selectFrom('contact')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('phonebook_id', '=', phonebookId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findPhonebook(db: Db, tenantId: string, id: string): Promise<PhonebookTable> {
  const row = await db.selectFrom('phonebook').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound('Phonebook', id);
  return row;
}

export async function getPhonebook(db: Db, tenantId: string, id: string): Promise<PhonebookView> {
  const row = await findPhonebook(db, tenantId, id);
  return toPhonebookView(row, await contactCount(db, id));
}

/** Synced phonebooks of one kind, keyed by source mailbox (lower case: Entra ids compare case-insensitively). */
export async function syncedPhonebooks(db: Db, tenantId: string, kind: 'personal' | 'company'): Promise<Map<string, PhonebookTable>> {
  const rows = await db
    .selectFrom('phonebook')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where('source', '=', OUTLOOK_SOURCE)
    .execute();
  return new Map(rows.map((r) => [(r.source_mailbox_id ?? '').toLowerCase(), r]));
}

export interface PhonebookTarget {
  kind: 'personal' | 'company';
  name: string;
  mailboxId: string;
  ownerExtensionId: string | null;
}

/** Creates the phonebook of a mailbox, or renames it; read-only because Outlook owns the contacts. */
export async function ensurePhonebook(
  db: Db,
  tenantId: string,
  target: PhonebookTarget,
  existing: PhonebookTable | undefined,
): Promise<{ row: PhonebookTable; change: 'created' | 'updated' | undefined }> {
  const now = nowIso();
  if (existing) {
    if (existing.name === target.name) return { row: existing, change: undefined };
    await db.updateTable('phonebook').set({ name: target.name, updated_at: now }).where('id', '=', existing.id).execute();
    return { row: { ...existing, name: target.name, updated_at: now }, change: 'updated' };
  }
  const row: PhonebookTable = {
    id: newId(),
    tenant_id: tenantId,
    kind: target.kind,
    name: target.name,
    owner_extension_id: target.ownerExtensionId,
    source_mailbox_id: target.mailboxId,
    source: OUTLOOK_SOURCE,
    read_only: 1,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('phonebook').values(row).execute();
  return { row, change: 'created' };
}

/** Removes a phonebook with its contacts, folders and visibility (foreign keys cascade). */
export async function deletePhonebook(db: Db, tenantId: string, id: string): Promise<number> {
  const contacts = await contactCount(db, id);
  await db.deleteFrom('contact').where('phonebook_id', '=', id).execute();
  await db.deleteFrom('phonebook').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  return contacts;
}

export async function hasSyncedPhonebooks(store: { db: Db }, tenantId: string): Promise<boolean> {
  const row = await store.db.selectFrom('phonebook').select('id').where('tenant_id', '=', tenantId).where('source', '=', OUTLOOK_SOURCE).limit(1).executeTakeFirst();
  return row !== undefined;
}
