import type { Kysely, Selectable } from 'kysely';
import { nowIso, type Database, type PresenceStateTable } from '../store/index.js';

export type PresenceStateRow = Selectable<PresenceStateTable>;
export type PresenceStatePatch = Partial<Omit<PresenceStateRow, 'tenant_id' | 'extension_id' | 'updated_at'>>;

/**
 * Ids per `IN (…)` read: a whole getPresencesByUserId batch (650) in one query, well under the
 * bind-parameter limits of SQLite (32,766) and PostgreSQL (65,535).
 */
export const READ_CHUNK = 1000;

const EMPTY: Omit<PresenceStateRow, 'tenant_id' | 'extension_id' | 'updated_at'> = {
  teams_availability: null,
  teams_activity: null,
  teams_result: null,
  teams_changed_at: null,
  calendar_status: null,
  restore_status: null,
  restore_source: null,
  call_state: null,
  call_state_until: null,
  last_error: null,
  last_error_at: null,
  calendar_error: null,
  calendar_error_at: null,
};

/** `presence_state`: what presence sync knows per extension (see the migration 006-presence). */
export function presenceStateRepo(db: Kysely<Database>) {
  return {
    /** Rows of these extensions by id; extensions never seen have none. */
    async many(tenantId: string, extensionIds: readonly string[]): Promise<Map<string, PresenceStateRow>> {
      const rows = new Map<string, PresenceStateRow>();
      for (let i = 0; i < extensionIds.length; i += READ_CHUNK) {
        const slice = extensionIds.slice(i, i + READ_CHUNK);
        const found = await db.selectFrom('presence_state').selectAll().where('tenant_id', '=', tenantId).where('extension_id', 'in', slice).execute();
        for (const row of found) rows.set(row.extension_id, row);
      }
      return rows;
    },
    async get(tenantId: string, extensionId: string): Promise<PresenceStateRow | undefined> {
      return db.selectFrom('presence_state').selectAll().where('tenant_id', '=', tenantId).where('extension_id', '=', extensionId).executeTakeFirst();
    },
    /** Changes some columns, creating the row when needed. */
    async patch(tenantId: string, extensionId: string, patch: PresenceStatePatch): Promise<void> {
      const updated_at = nowIso();
      await db
        .insertInto('presence_state')
        .values({ ...EMPTY, ...patch, tenant_id: tenantId, extension_id: extensionId, updated_at })
        .onConflict((oc) => oc.column('extension_id').doUpdateSet({ ...patch, updated_at }))
        .execute();
    },
    /**
     * `patch`, but only if the row is still the one a decision read (`readAt`: its updated_at, null
     * when there was no row). False when it changed (or appeared) meanwhile: nothing was written.
     */
    async patchIf(tenantId: string, extensionId: string, patch: PresenceStatePatch, readAt: string | null): Promise<boolean> {
      const updated_at = nowIso();
      if (readAt === null) {
        const inserted = await db
          .insertInto('presence_state')
          .values({ ...EMPTY, ...patch, tenant_id: tenantId, extension_id: extensionId, updated_at })
          .onConflict((oc) => oc.column('extension_id').doNothing())
          .executeTakeFirst();
        return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
      }
      const updated = await db
        .updateTable('presence_state')
        .set({ ...patch, updated_at })
        .where('tenant_id', '=', tenantId)
        .where('extension_id', '=', extensionId)
        .where('updated_at', '=', readAt)
        .executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },
  };
}
