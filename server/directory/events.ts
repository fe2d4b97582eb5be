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
}

export const newChangeLog = (): ChangeLog => ({ extensions: new Map(), deletedExtensions: [], groups: new Map(), deletedGroups: [], revoke: [] });

/** A later `updated` never hides that the object was `created` in the same chunk. */
export function touch(seen: Map<string, 'created' | 'updated'>, id: string, kind: 'created' | 'updated'): void {
  if (seen.get(id) !== 'created') seen.set(id, kind);
}

const BATCH = 500;

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
  await publishEvents(db, tenantId, [
    ...(await extensionEvents(db, tenantId, log.extensions)),
    ...log.deletedExtensions.map((data): DomainEvent => ({ type: 'extension.deleted', data })),
    ...(await groupEvents(db, tenantId, log.groups)),
    ...log.deletedGroups.map((id): DomainEvent => ({ type: 'extension_group.deleted', data: { id } })),
  ]);
}
