import { sql } from 'kysely';
import type { AnyDb, DialectMigration } from './types.js';

/**
 * Queued runs by tenant: a run slot that comes free, and every instance once per run heartbeat
 * (scaled out), look for them. Like sync_run_running_ix, the partial index holds only the few
 * queued ones, so neither reads the run log.
 */
export const queuedRuns: DialectMigration = () => ({
  async up(db: AnyDb) {
    await db.schema.createIndex('sync_run_queued_ix').on('sync_run').column('tenant_id').where(sql.ref('status'), '=', 'queued').execute();
  },
});
