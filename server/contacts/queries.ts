import { sql, type Expression, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { parsePhone } from '../../shared/phone.js';
import type { ContactTable, Database } from '../store/index.js';
import { findPhonebook, phonebookKind, toPhonebookView, type PhonebookView } from './phonebooks.js';
import { digitsOf } from './validate.js';

type Db = Kysely<Database>;

const dialableNumber = z.object({ number: z.string(), extension: z.string().nullable() }).nullable();

export const contactView = z.object({
  id: z.string(),
  phonebookId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  displayName: z.string(),
  company: z.string(),
  jobTitle: z.string(),
  mobile: z.string(),
  homePhone: z.string(),
  businessPhone: z.string(),
  email: z.string(),
  /**
   * Each number as a PBX dials it (digits with an optional leading +; an extension suffix such as
   * `x23` apart, to dial after connecting), or null when it holds none (shared/phone.ts). The
   * fields above keep the numbers as written in Outlook.
   */
  dial: z.object({ mobile: dialableNumber, homePhone: dialableNumber, businessPhone: dialableNumber }),
  updatedAt: z.string(),
});
export type ContactView = z.infer<typeof contactView>;

export const toContactView = (row: ContactTable): ContactView => ({
  id: row.id,
  phonebookId: row.phonebook_id,
  firstName: row.first_name,
  lastName: row.last_name,
  displayName: row.display_name,
  company: row.company,
  jobTitle: row.job_title,
  mobile: row.mobile,
  homePhone: row.home_phone,
  businessPhone: row.business_phone,
  email: row.email,
  dial: { mobile: parsePhone(row.mobile), homePhone: parsePhone(row.home_phone), businessPhone: parsePhone(row.business_phone) },
  updatedAt: row.updated_at,
});

/** Keyset position of a page: after (name, id). */
export type After = [string, string] | undefined;

const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * `q` matches first, last or display name and company (case-insensitive substring), or — when it
 * has 3+ digits — any number of the contact by its digits ("+49 (170) 123" finds "0049170123…").
 */
export function contactMatches(eb: ExpressionBuilder<Database, 'contact'>, q: string): Expression<SqlBool> {
  const text = `%${likeEscape(q.trim().toLowerCase())}%`;
  const like = (column: 'contact.first_name' | 'contact.last_name' | 'contact.display_name' | 'contact.company') =>
    sql<SqlBool>`lower(${sql.ref(column)}) like ${text} escape '\\'`;
  const terms = [like('contact.display_name'), like('contact.first_name'), like('contact.last_name'), like('contact.company')];
  const digits = digitsOf(q);
  if (digits.length >= 3) terms.push(sql<SqlBool>`${sql.ref('contact.search_digits')} like ${`%${digits}%`}`);
  return eb.or(terms);
}

export interface ContactPageQuery {
  q?: string | undefined;
  limit: number;
  after: After;
}

/** Contacts of the given phonebooks by name, `limit + 1` rows for `toPage`. */
/** Phonebook ids, as a list or as a subquery selecting `id`. */
export type PhonebookIds = string[] | SelectQueryBuilder<Database, 'phonebook', { id: string }>;

export async function contactsIn(db: Db, tenantId: string, phonebookIds: PhonebookIds, query: ContactPageQuery): Promise<ContactView[]> {
  let select = db.selectFrom('contact').selectAll('contact').where('contact.tenant_id', '=', tenantId);
  select = Array.isArray(phonebookIds)
    ? phonebookIds.length === 0
      ? select.where(sql<SqlBool>`1 = 0`)
      : select.where('contact.phonebook_id', 'in', phonebookIds)
    : select.where('contact.phonebook_id', 'in', phonebookIds);
  const q = query.q?.trim();
  if (q) select = select.where((eb) => contactMatches(eb, q));
  const after = query.after;
  if (after) {
    select = select.where((eb) =>
      eb.or([eb('contact.display_name', '>', after[0]), eb.and([eb('contact.display_name', '=', after[0]), eb('contact.id', '>', after[1])])]),
    );
  }
  const rows = await select.orderBy('contact.display_name').orderBy('contact.id').limit(query.limit + 1).execute();
  return rows.map(toContactView);
}

export async function phonebookContacts(db: Db, tenantId: string, phonebookId: string, query: ContactPageQuery): Promise<ContactView[]> {
  await findPhonebook(db, tenantId, phonebookId);
  return contactsIn(db, tenantId, [phonebookId], query);
}

export const phonebookListQuery = z.strictObject({
  kind: phonebookKind.optional(),
  ownerExtensionId: z.string().max(100).optional(),
});

/** Phonebooks by name with their contact counts, `limit + 1` rows for `toPage`. */
export async function listPhonebooks(
  db: Db,
  tenantId: string,
  filter: z.infer<typeof phonebookListQuery>,
  limit: number,
  after: After,
): Promise<PhonebookView[]> {
  let select = db
    .selectFrom('phonebook')
    .selectAll('phonebook')
    .select((eb) =>
      eb.selectFrom('contact').select(eb.fn.countAll<number>().as('n')).whereRef('contact.phonebook_id', '=', 'phonebook.id').as('contact_count'),
    )
    .where('phonebook.tenant_id', '=', tenantId);
  if (filter.kind) select = select.where('phonebook.kind', '=', filter.kind);
  if (filter.ownerExtensionId) select = select.where('phonebook.owner_extension_id', '=', filter.ownerExtensionId);
  if (after) {
    select = select.where((eb) => eb.or([eb('phonebook.name', '>', after[0]), eb.and([eb('phonebook.name', '=', after[0]), eb('phonebook.id', '>', after[1])])]));
  }
  const rows = await select.orderBy('phonebook.name').orderBy('phonebook.id').limit(limit + 1).execute();
  return rows.map(({ contact_count, ...row }) => toPhonebookView(row, Number(contact_count ?? 0)));
}
