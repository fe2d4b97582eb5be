import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** Runs deleted per statement: each takes its problems with it (cascade), so a batch stays a short write. */
const PRUNE_BATCH = 200;

/**
 * Finished runs (every kind that shares the log: directory, contacts) that finished before
 * `before` leave the log with their problems. Each tenant keeps its newest succeeded and its newest
 * failed run of every kind however old: "last successful sync" stays answerable, and contact sync
 * compares against the last directory and contacts runs. Running and held runs are never touched.
 */
export async function pruneRuns(db: Kysely<Database>, before: string): Promise<number> {
  let pruned = 0;
  for (;;) {
    // row_number() ranks each tenant's runs of one kind and outcome, newest first (SQLite ≥ 3.25 and PostgreSQL).
    const ranked = db
      .selectFrom('sync_run')
      .select(['id', 'finished_at', sql<number>`row_number() over (partition by tenant_id, kind, status order by finished_at desc)`.as('recency')])
      .where('status', 'in', ['succeeded', 'failed'])
      .as('ranked');
    const expired = db.selectFrom(ranked).select('ranked.id').where('ranked.recency', '>', 1).where('ranked.finished_at', '<', before).limit(PRUNE_BATCH);
    const result = await db.deleteFrom('sync_run').where('id', 'in', expired).executeTakeFirst();
    const deleted = Number(result.numDeletedRows);
    pruned += deleted;
    if (deleted < PRUNE_BATCH) return pruned;
  }
}
