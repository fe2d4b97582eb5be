import type { AnyDb, DialectMigration } from './types.js';

/**
 * Presence health keeps the calendar's error apart from Teams': with source `both` one poll
 * cleared the other's error, and with `calendar` nothing cleared it. `last_error` stays the Teams
 * side (polling, notified reads, setting Teams presence); each side clears only its own error.
 */
export const presenceCalendarError: DialectMigration = () => ({
  async up(db: AnyDb) {
    for (const column of ['calendar_error', 'calendar_error_at']) await db.schema.alterTable('presence_state').addColumn(column, 'text').execute();
  },
});
