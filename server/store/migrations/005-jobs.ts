import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/**
 * The embedded job runner's durable state: queued and running jobs (so work survives a restart)
 * and cron schedules with their next due time (so a run missed while the server was down fires
 * once on start-up).
 */
export const jobs: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('job')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('singleton_key', t.text)
        .addColumn('payload', t.text, (c) => c.notNull())
        .addColumn('state', t.text, (c) => c.notNull())
        .addColumn('run_at', t.text, (c) => c.notNull())
        .addColumn('attempt', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('retry_limit', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', t.text)
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('started_at', t.text)
        .execute();
      await db.schema.createIndex('job_due_ix').on('job').columns(['state', 'run_at']).execute();
      await db.schema.createIndex('job_singleton_ix').on('job').columns(['singleton_key', 'state']).execute();

      await db.schema
        .createTable('job_schedule')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('pattern', t.text, (c) => c.notNull())
        .addColumn('time_zone', t.text, (c) => c.notNull())
        .addColumn('singleton_key', t.text)
        .addColumn('payload', t.text, (c) => c.notNull())
        .addColumn('next_run_at', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('job_schedule_pk', ['tenant_id', 'name'])
        .execute();
    },
  };
};
