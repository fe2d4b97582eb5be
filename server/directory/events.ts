import type { Kysely } from 'kysely';
import { hasWebhookSubscribers, publishEvents, type DomainEvent, type EventData } from '../webhooks/index.js';
import type { Database } from '../store/index.js';
import { toExtensionView } from './extensions.js';
import { groupViews } from './groups.js';

/** What one apply chunk changed, turned into webhook events before it commits. */
export interface ChangeLog {
  extensions: Map<string, 'created' | 'updated'>;
  deletedExtensions: EventData[];
  groups: Map<string, 'created' | 'updated'>;
  deletedGroups: string[];
  /** Extensions deleted, disabled or released: their SSO sessions end once the chunk commits. */
  revoke: string[];
  /** What deleting extensions takes along, by extension id (see `recordCascade`). */
  cascade: Map<string, Cascaded>;
}

interface Cascaded {
  /** `phonebook.deleted` payloads of the extension's personal phonebooks. */
  phonebooks: EventData[];
  /** Groups the extension is a member of. */
  groups: string[];
}

export const newChangeLog = (): ChangeLog => ({ extensions: new Map(), deletedExtensions: [], groups: new Map(), deletedGroups: [], revoke: [], cascade: new Map() });

/** A later `updated` never hides that the object was `created` in the same chunk. */
export function touch(seen: Map<string, 'created' | 'updated'>, id: string, kind: 'created' | 'updated'): void {
  if (seen.get(id) !== 'created') seen.set(id, kind);
}

const BATCH = 500;

/**
 * Records what deleting these extensions takes along by foreign-key cascade, which no delete
 * statement reports: their personal phonebooks (with contacts) and their group memberships. Call it
 * in the delete's transaction, before the delete; `publishChanges` then sends `phonebook.deleted`,
 * and `extension_group.updated` with the members left, for the extensions the log says were
 * deleted (an id whose delete found nothing sends nothing). Pass a function when the ids must be
 * read: nothing is read when no endpoint could receive the events.
 *
 * One `phonebook.deleted` per phonebook and no `contact.deleted`: a PBX drops a phonebook's
 * contacts with it, as when contact sync removes a phonebook (contacts/run.ts); per-contact events
 * would be hundreds per user, saying nothing more.
 */
export async function recordCascade(
  db: Kysely<Database>,
  tenantId: string,
  extensionIds: readonly string[] | (() => Promise<readonly string[]>),
  log: ChangeLog,
): Promise<void> {
  if (typeof extensionIds !== 'function' && extensionIds.length === 0) return;
  if (!(await hasWebhookSubscribers(db, tenantId))) return;
  const ids = typeof extensionIds === 'function' ? await extensionIds() : extensionIds;
  const of = (id: string): Cascaded => {
    const known = log.cascade.get(id);
    if (known) return known;
    const fresh: Cascaded = { phonebooks: [], groups: [] };
    log.cascade.set(id, fresh);
    return fresh;
  };
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const books = await db.selectFrom('phonebook').select(['id', 'kind', 'name', 'owner_extension_id']).where('tenant_id', '=', tenantId).where('owner_extension_id', 'in', batch).execute();
    for (const b of books) of(b.owner_extension_id ?? '').phonebooks.push({ id: b.id, kind: b.kind, name: b.name });
    const members = await db.selectFrom('extension_group_member').select(['group_id', 'extension_id']).where('tenant_id', '=', tenantId).where('extension_id', 'in', batch).execute();
    for (const m of members) of(m.extension_id).groups.push(m.group_id);
  }
}

/** The cascade of the extensions the log deleted: their phonebooks' events; their groups join `log.groups`. */
function cascadeEvents(log: ChangeLog): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (const { id } of log.deletedExtensions) {
    const gone = id === undefined ? undefined : log.cascade.get(id);
    if (!gone) continue;
    for (const data of gone.phonebooks) events.push({ type: 'phonebook.deleted', data });
    for (const groupId of gone.groups) touch(log.groups, groupId, 'updated');
  }
  return events;
}

async function extensionEvents(db: Kysely<Database>, tenantId: string, seen: Map<string, 'created' | 'updated'>): Promise<DomainEvent[]> {
  const ids = [...seen.keys()];
  const events: DomainEvent[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = await db.selectFrom('extension').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids.slice(i, i + BATCH)).execute();
    for (const row of rows) events.push({ type: seen.get(row.id) === 'created' ? 'extension.created' : 'extension.updated', data: toExtensionView(row) });
  }
  return events;
}

async function groupEvents(db: Kysely<Database>, tenantId: string, seen: Map<string, 'created' | 'updated'>): Promise<DomainEvent[]> {
  const ids = [...seen.keys()];
  const events: DomainEvent[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    for (const view of await groupViews(db, tenantId, ids.slice(i, i + BATCH))) {
      events.push({ type: seen.get(view.id) === 'created' ? 'extension_group.created' : 'extension_group.updated', data: view });
    }
  }
  return events;
}

/** Writes the log's events to the webhook outbox; pass the transaction that made the changes. */
export async function publishChanges(db: Kysely<Database>, tenantId: string, log: ChangeLog): Promise<void> {
  if (!(await hasWebhookSubscribers(db, tenantId))) return;
  const phonebooks = cascadeEvents(log);
  await publishEvents(db, tenantId, [
    ...(await extensionEvents(db, tenantId, log.extensions)),
    ...log.deletedExtensions.map((data): DomainEvent => ({ type: 'extension.deleted', data })),
    ...phonebooks,
    ...(await groupEvents(db, tenantId, log.groups)),
    ...log.deletedGroups.map((id): DomainEvent => ({ type: 'extension_group.deleted', data: { id } })),
  ]);
}
