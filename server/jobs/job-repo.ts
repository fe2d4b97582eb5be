import type { Kysely } from 'kysely';
import { newId, type Database, type JobTable } from '../store/index.js';
import type { CronSpec, JobPayload } from './runner.js';

type Db = Kysely<Database>;
const iso = (ms: number) => new Date(ms).toISOString();

export interface NewJob {
  tenantId: string;
  name: string;
  singletonKey: string | null;
  payload: JobPayload;
  runAt: number;
  retryLimit: number;
  now: number;
}

/** Store access of the embedded runner: `job` and `job_schedule`. */
export function jobRepo(db: Db) {
  return {
    async findQueued(name: string, singletonKey: string): Promise<Pick<JobTable, 'id' | 'run_at'> | undefined> {
      return db
        .selectFrom('job')
        .select(['id', 'run_at'])
        .where('name', '=', name)
        .where('singleton_key', '=', singletonKey)
        .where('state', '=', 'queued')
        .orderBy('run_at')
        .executeTakeFirst();
    },
    async moveEarlier(id: string, runAt: number): Promise<void> {
      await db.updateTable('job').set({ run_at: iso(runAt) }).where('id', '=', id).where('run_at', '>', iso(runAt)).execute();
    },
    async insert(job: NewJob): Promise<string> {
      const id = newId();
      await db
        .insertInto('job')
        .values({
          id,
          tenant_id: job.tenantId,
          name: job.name,
          singleton_key: job.singletonKey,
          payload: JSON.stringify(job.payload),
          state: 'queued',
          run_at: iso(job.runAt),
          attempt: 0,
          retry_limit: job.retryLimit,
          last_error: null,
          created_at: iso(job.now),
          started_at: null,
        })
        .execute();
      return id;
    },
    /** Queued jobs due at `now`, oldest due first. */
    async due(now: number, limit: number): Promise<JobTable[]> {
      return db
        .selectFrom('job')
        .selectAll()
        .where('state', '=', 'queued')
        .where('run_at', '<=', iso(now))
        .orderBy('run_at')
        .limit(limit)
        .execute();
    },
    /** Takes a queued job; false when another worker took it first. */
    async claim(id: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('job')
        .set((eb) => ({ state: 'active', started_at: iso(now), attempt: eb('attempt', '+', 1) }))
        .where('id', '=', id)
        .where('state', '=', 'queued')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async finish(id: string): Promise<void> {
      await db.deleteFrom('job').where('id', '=', id).execute();
    },
    async retryAt(id: string, runAt: number, error: string): Promise<void> {
      await db.updateTable('job').set({ state: 'queued', run_at: iso(runAt), last_error: error }).where('id', '=', id).execute();
    },
    async fail(id: string, error: string): Promise<void> {
      await db.updateTable('job').set({ state: 'failed', last_error: error }).where('id', '=', id).execute();
    },
    /** Jobs a stopped or crashed process left running go back to the queue. */
    async requeueActive(): Promise<void> {
      await db.updateTable('job').set({ state: 'queued' }).where('state', '=', 'active').execute();
    },
    async nextQueuedAt(): Promise<number | undefined> {
      const row = await db.selectFrom('job').select('run_at').where('state', '=', 'queued').orderBy('run_at').executeTakeFirst();
      return row ? Date.parse(row.run_at) : undefined;
    },
  };
}

export interface ScheduleRow {
  tenantId: string;
  name: string;
  cron: CronSpec;
  singletonKey: string | null;
  payload: JobPayload;
  nextRunAt: number;
}

const toSchedule = (row: Database['job_schedule']): ScheduleRow => ({
  tenantId: row.tenant_id,
  name: row.name,
  cron: { pattern: row.pattern, timeZone: row.time_zone },
  singletonKey: row.singleton_key,
  payload: JSON.parse(row.payload) as JobPayload,
  nextRunAt: Date.parse(row.next_run_at),
});

export function scheduleRepo(db: Db) {
  return {
    async get(tenantId: string, name: string): Promise<ScheduleRow | undefined> {
      const row = await db
        .selectFrom('job_schedule')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? toSchedule(row) : undefined;
    },
    async put(row: ScheduleRow, now: number): Promise<void> {
      const values = {
        pattern: row.cron.pattern,
        time_zone: row.cron.timeZone,
        singleton_key: row.singletonKey,
        payload: JSON.stringify(row.payload),
        next_run_at: iso(row.nextRunAt),
        updated_at: iso(now),
      };
      await db
        .insertInto('job_schedule')
        .values({ tenant_id: row.tenantId, name: row.name, ...values })
        .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet(values))
        .execute();
    },
    async remove(tenantId: string, name: string): Promise<void> {
      await db.deleteFrom('job_schedule').where('tenant_id', '=', tenantId).where('name', '=', name).execute();
    },
    async due(now: number): Promise<ScheduleRow[]> {
      const rows = await db.selectFrom('job_schedule').selectAll().where('next_run_at', '<=', iso(now)).execute();
      return rows.map(toSchedule);
    },
    /** Moves a due schedule on; false when another worker already did (it fires the job then). */
    async advance(row: ScheduleRow, next: number, now: number): Promise<boolean> {
      const result = await db
        .updateTable('job_schedule')
        .set({ next_run_at: iso(next), updated_at: iso(now) })
        .where('tenant_id', '=', row.tenantId)
        .where('name', '=', row.name)
        .where('next_run_at', '=', iso(row.nextRunAt))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async nextDueAt(): Promise<number | undefined> {
      const row = await db.selectFrom('job_schedule').select('next_run_at').orderBy('next_run_at').executeTakeFirst();
      return row ? Date.parse(row.next_run_at) : undefined;
    },
  };
}

/** Days a job that failed for good stays in the embedded queue's table (for the log and support). */
export const FAILED_JOB_RETENTION_DAYS = 7;

/** The embedded queue's failed jobs created before `before` (ISO); returns how many were deleted. */
export async function pruneFailedJobs(db: Db, before: string): Promise<number> {
  const result = await db.deleteFrom('job').where('state', '=', 'failed').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
