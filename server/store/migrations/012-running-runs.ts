import { sql } from 'kysely';
import type { AnyDb, DialectMigration } from './types.js';

/**
 * Running runs by heartbeat: on PostgreSQL every instance looks for abandoned ones once per run
 * heartbeat, while the run log keeps every finished run. The partial index holds only the few
 * running ones, so that check does not read the whole log.
 */
export const runningRuns: DialectMigration = () => ({
  async up(db: AnyDb) {
    await db.schema.createIndex('sync_run_running_ix').on('sync_run').column('heartbeat_at').where(sql.ref('status'), '=', 'running').execute();
  },
});
