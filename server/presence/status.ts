import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { nowIso, type Database, type ExtensionStatusTable, type Store } from '../store/index.js';
import { publishEvent } from '../webhooks/index.js';
import { statusBusFor } from './bus.js';
import { statusSource } from '../../shared/presence.js';
import { extensionStatus, type ExtensionStatus } from './mapping.js';
import { READ_CHUNK } from './state-repo.js';

export { STATUS_SOURCES, statusSource } from '../../shared/presence.js';

/** An extension's current status as clients and the PBX see it. */
export const extensionStatusView = z.object({
  extensionId: z.string(),
  status: extensionStatus,
  source: statusSource,
  teamsAvailability: z.string().nullable(),
  teamsActivity: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type ExtensionStatusView = z.infer<typeof extensionStatusView>;

export interface StatusChange {
  status: ExtensionStatus;
  source: Exclude<z.infer<typeof statusSource>, 'default'>;
  teamsAvailability?: string | null;
  teamsActivity?: string | null;
  /** The status to restore when a calendar event ends. */
  previousStatus?: ExtensionStatus | null;
}

const toView = (row: Selectable<ExtensionStatusTable>): ExtensionStatusView => ({
  extensionId: row.extension_id,
  status: extensionStatus.catch('available').parse(row.status),
  source: statusSource.catch('default').parse(row.source),
  teamsAvailability: row.teams_availability,
  teamsActivity: row.teams_activity,
  updatedAt: row.updated_at,
});

const defaultView = (extensionId: string): ExtensionStatusView => ({
  extensionId,
  status: 'available',
  source: 'default',
  teamsAvailability: null,
  teamsActivity: null,
  updatedAt: null,
});

/** Rows of `extension_status`; an extension nobody has set a status for is `available`. */
export function extensionStatusRepo(db: Kysely<Database>) {
  return {
    async get(tenantId: string, extensionId: string): Promise<ExtensionStatusView> {
      const row = await db
        .selectFrom('extension_status')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('extension_id', '=', extensionId)
        .executeTakeFirst();
      return row ? toView(row) : defaultView(extensionId);
    },
    /** Current statuses of these extensions by id (defaults for those nobody has set). */
    async many(tenantId: string, extensionIds: readonly string[]): Promise<Map<string, ExtensionStatusView>> {
      const views = new Map<string, ExtensionStatusView>();
      for (let i = 0; i < extensionIds.length; i += READ_CHUNK) {
        const slice = extensionIds.slice(i, i + READ_CHUNK);
        const rows = await db.selectFrom('extension_status').selectAll().where('tenant_id', '=', tenantId).where('extension_id', 'in', slice).execute();
        for (const row of rows) views.set(row.extension_id, toView(row));
      }
      for (const id of extensionIds) if (!views.has(id)) views.set(id, defaultView(id));
      return views;
    },
    async put(tenantId: string, extensionId: string, change: StatusChange): Promise<ExtensionStatusView> {
      const row = rowOf(tenantId, extensionId, change);
      const { tenant_id: _t, extension_id: _e, ...changes } = row;
      await db
        .insertInto('extension_status')
        .values(row)
        .onConflict((oc) => oc.column('extension_id').doUpdateSet(changes))
        .execute();
      return toView(row);
    },
    /**
     * `put`, but only if the status is still `basis` (what a decision was made from: status, source
     * and time of the last change). Undefined when it changed meanwhile: nothing was written.
     */
    async putIf(tenantId: string, extensionId: string, change: StatusChange, basis: ExtensionStatusView): Promise<ExtensionStatusView | undefined> {
      const row = rowOf(tenantId, extensionId, change);
      const { tenant_id: _t, extension_id: _e, ...changes } = row;
      if (basis.updatedAt === null) {
        const inserted = await db.insertInto('extension_status').values(row).onConflict((oc) => oc.column('extension_id').doNothing()).executeTakeFirst();
        return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n ? toView(row) : undefined;
      }
      const updated = await db
        .updateTable('extension_status')
        .set(changes)
        .where('tenant_id', '=', tenantId)
        .where('extension_id', '=', extensionId)
        .where('updated_at', '=', basis.updatedAt)
        .where('source', '=', basis.source)
        .where('status', '=', basis.status)
        .executeTakeFirst();
      return updated.numUpdatedRows > 0n ? toView(row) : undefined;
    },
  };
}

const rowOf = (tenantId: string, extensionId: string, change: StatusChange) => ({
  tenant_id: tenantId,
  extension_id: extensionId,
  status: change.status,
  source: change.source,
  teams_availability: change.teamsAvailability ?? null,
  teams_activity: change.teamsActivity ?? null,
  previous_status: change.previousStatus ?? null,
  last_error: null,
  updated_at: nowIso(),
});

/** Whether a change would change nothing (same status, source and Teams value as a stored status). */
export const changesNothing = (view: ExtensionStatusView, change: StatusChange): boolean =>
  view.updatedAt !== null &&
  view.status === change.status &&
  view.source === change.source &&
  view.teamsAvailability === (change.teamsAvailability ?? null) &&
  view.teamsActivity === (change.teamsActivity ?? null);

/**
 * Stores an extension's new status and pushes it to everyone listening: the status bus (SSE
 * streams) and the `extension_status.changed` webhook, written in the same transaction as the
 * status. A change that changes nothing (same status, source and Teams value) is not written
 * and not pushed, so repeated reports never produce duplicate events.
 */
export async function setExtensionStatus(
  store: Store,
  tenantId: string,
  extensionId: string,
  change: StatusChange,
): Promise<ExtensionStatusView> {
  const current = await extensionStatusRepo(store.db).get(tenantId, extensionId);
  if (changesNothing(current, change)) return current;
  const view = await store.db.transaction().execute(async (trx) => {
    const written = await extensionStatusRepo(trx).put(tenantId, extensionId, change);
    await publishEvent(trx, tenantId, 'extension_status.changed', written);
    return written;
  });
  statusBusFor(store).publish(tenantId, view);
  return view;
}

/**
 * A presence-sync decision's status, in the caller's transaction: written with its webhook event
 * only if the status is still `basis` (what the decision read); undefined when it changed
 * meanwhile. The caller publishes the result on the status bus once the transaction committed.
 */
export async function putStatusIf(trx: Kysely<Database>, tenantId: string, extensionId: string, change: StatusChange, basis: ExtensionStatusView): Promise<ExtensionStatusView | undefined> {
  const written = await extensionStatusRepo(trx).putIf(tenantId, extensionId, change, basis);
  if (written) await publishEvent(trx, tenantId, 'extension_status.changed', written);
  return written;
}
