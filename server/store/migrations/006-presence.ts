import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/**
 * Presence sync: what the poller last saw per extension (Teams value, mapped result), the
 * calendar event it is standing in for (and the status to restore), the PBX call state it wrote
 * to Teams (loop guard), and the last error — the admin's per-user health view.
 */
export const presence: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      let table = db.schema
        .createTable('presence_state')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('extension_id', t.text, (c) => c.primaryKey().references('extension.id').onDelete('cascade'));
      for (const column of [
        'teams_availability',
        'teams_activity',
        'teams_result',
        'teams_changed_at',
        'calendar_status',
        'restore_status',
        'restore_source',
        'call_state',
        'call_state_until',
        'last_error',
        'last_error_at',
      ]) {
        table = table.addColumn(column, t.text);
      }
      await table.addColumn('updated_at', t.text, (c) => c.notNull()).execute();
      await db.schema.createIndex('presence_state_tenant_ix').on('presence_state').columns(['tenant_id', 'extension_id']).execute();
    },
  };
};
