import type { ExpressionBuilder, Kysely } from 'kysely';
import { z } from 'zod';
import { AppError, errors, registerErrorCodes } from '../errors.js';
import { nowIso, type Database } from '../store/index.js';
import { publishEvents } from '../webhooks/index.js';
import { findPhonebook, toPhonebookView, contactCount } from './phonebooks.js';
import { contactsIn, type ContactPageQuery, type ContactView } from './queries.js';

registerErrorCodes({ phonebook_personal: 409 });

type Db = Kysely<Database>;

const ids = z.array(z.string().min(1).max(100)).max(10_000);

export const visibilityBody = z.strictObject({
  /** Extensions that see the phonebook. */
  extensionIds: ids.default([]),
  /** Extension groups whose members see the phonebook. */
  groupIds: ids.default([]),
});
export const visibilityView = z.object({ phonebookId: z.string(), extensionIds: z.array(z.string()), groupIds: z.array(z.string()) });
export type VisibilityView = z.infer<typeof visibilityView>;

/**
 * The grant's extension or group still exists. `subject_id` names a row of either table, so no
 * foreign key removes a grant when its subject is deleted; reads skip such grants and
 * housekeeping deletes them (`pruneOrphanGrants`).
 */
const subjectExists = (eb: ExpressionBuilder<Database, 'phonebook_visibility'>) =>
  eb.or([
    eb.and([eb('subject_kind', '=', 'extension'), eb.exists(eb.selectFrom('extension as e').select('e.id').whereRef('e.id', '=', 'phonebook_visibility.subject_id'))]),
    eb.and([eb('subject_kind', '=', 'group'), eb.exists(eb.selectFrom('extension_group as g').select('g.id').whereRef('g.id', '=', 'phonebook_visibility.subject_id'))]),
  ]);

export async function getVisibility(db: Db, tenantId: string, phonebookId: string): Promise<VisibilityView> {
  await findPhonebook(db, tenantId, phonebookId);
  const rows = await db
    .selectFrom('phonebook_visibility')
    .select(['subject_kind', 'subject_id'])
    .where('tenant_id', '=', tenantId)
    .where('phonebook_id', '=', phonebookId)
    .where(subjectExists)
    .orderBy('subject_id')
    .execute();
  return {
    phonebookId,
    extensionIds: rows.filter((r) => r.subject_kind === 'extension').map((r) => r.subject_id),
    groupIds: rows.filter((r) => r.subject_kind === 'group').map((r) => r.subject_id),
  };
}

async function unknownIds(db: Db, tenantId: string, table: 'extension' | 'extension_group', wanted: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await db.selectFrom(table).select('id').where('tenant_id', '=', tenantId).where('id', 'in', wanted.slice(i, i + 500)).execute();
    for (const r of rows) found.add(r.id);
  }
  return wanted.filter((id) => !found.has(id));
}

/**
 * Replaces who sees a company phonebook. Company phonebooks are hidden until granted; a personal
 * phonebook is only ever its owner's.
 */
export async function setVisibility(db: Db, tenantId: string, phonebookId: string, body: z.output<typeof visibilityBody>): Promise<VisibilityView> {
  const phonebook = await findPhonebook(db, tenantId, phonebookId);
  if (phonebook.kind === 'personal') {
    throw new AppError('phonebook_personal', `Phonebook '${phonebookId}' is a personal phonebook; only its owner sees it.`, {
      hint: 'Grant visibility on company phonebooks (kind "company") only.',
    });
  }
  const extensionIds = [...new Set(body.extensionIds)];
  const groupIds = [...new Set(body.groupIds)];
  const fields = [
    ...(await unknownIds(db, tenantId, 'extension', extensionIds)).map((id) => ({ path: 'body.extensionIds', message: `no extension '${id}'` })),
    ...(await unknownIds(db, tenantId, 'extension_group', groupIds)).map((id) => ({ path: 'body.groupIds', message: `no extension group '${id}'` })),
  ];
  if (fields.length > 0) throw errors.validation(fields.slice(0, 20), 'Visibility names extensions or groups that do not exist.');
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('phonebook_visibility').where('tenant_id', '=', tenantId).where('phonebook_id', '=', phonebookId).execute();
    const rows = [
      ...extensionIds.map((id) => ({ tenant_id: tenantId, phonebook_id: phonebookId, subject_kind: 'extension', subject_id: id })),
      ...groupIds.map((id) => ({ tenant_id: tenantId, phonebook_id: phonebookId, subject_kind: 'group', subject_id: id })),
    ];
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('phonebook_visibility').values(rows.slice(i, i + 500)).execute();
    const updatedAt = nowIso();
    await trx.updateTable('phonebook').set({ updated_at: updatedAt }).where('id', '=', phonebookId).execute();
    const view = toPhonebookView({ ...phonebook, updated_at: updatedAt }, await contactCount(trx, phonebookId));
    await publishEvents(trx, tenantId, [{ type: 'phonebook.updated', data: { ...view, visibility: { extensionIds, groupIds } } }]);
  });
  return getVisibility(db, tenantId, phonebookId);
}

/** Phonebooks an extension sees: its own personal one, and company ones granted to it or to one of its groups. */
export function visiblePhonebookIds(db: Db, tenantId: string, extensionId: string) {
  return db
    .selectFrom('phonebook')
    .select('phonebook.id')
    .where('phonebook.tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([
        eb.and([eb('phonebook.kind', '=', 'personal'), eb('phonebook.owner_extension_id', '=', extensionId)]),
        eb.and([
          eb('phonebook.kind', '=', 'company'),
          eb.exists(
            eb
              .selectFrom('phonebook_visibility as v')
              .select('v.phonebook_id')
              .whereRef('v.phonebook_id', '=', 'phonebook.id')
              .where((v) =>
                v.or([
                  v.and([v('v.subject_kind', '=', 'extension'), v('v.subject_id', '=', extensionId)]),
                  v.and([
                    v('v.subject_kind', '=', 'group'),
                    v('v.subject_id', 'in', v.selectFrom('extension_group_member as m').select('m.group_id').where('m.extension_id', '=', extensionId)),
                  ]),
                ]),
              ),
          ),
        ]),
      ]),
    );
}

/** The client search (`GET /api/v1/me/contacts?q=`): the user's own and visible company phonebooks. */
export function searchVisibleContacts(db: Db, tenantId: string, extensionId: string, query: ContactPageQuery): Promise<ContactView[]> {
  return contactsIn(db, tenantId, visiblePhonebookIds(db, tenantId, extensionId), query);
}

/** Grants whose extension or group was deleted; returns how many were removed. */
export async function pruneOrphanGrants(db: Db): Promise<number> {
  const result = await db.deleteFrom('phonebook_visibility').where((eb) => eb.not(subjectExists(eb))).executeTakeFirst();
  return Number(result.numDeletedRows);
}
