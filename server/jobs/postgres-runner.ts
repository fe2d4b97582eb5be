import type { Kysely } from 'kysely';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { DEAD_CLIENT_DETECTION, type Database } from '../store/index.js';
import { scheduleRepo } from './job-repo.js';
import { fireSchedule, nextScheduledRun, saveSchedule } from './schedule-fire.js';
import type { CronSpec, EnqueueOptions, Job, JobHandler, JobPayload, JobRunner, ScheduleOptions, WorkOptions } from './runner.js';

export interface PostgresRunnerOptions {
  connectionString: string;
  /** PostgreSQL schema of pg-boss's own tables (see `jobsSchemaName`). */
  schema: string;
  /** Workers per job name in this process (default 2). */
  concurrency?: number;
  /** How often idle workers look for work (default 2 s, pg-boss's minimum is 0.5 s). */
  pollSeconds?: number;
  /**
   * A job active this long is taken to belong to a dead instance and is retried elsewhere (default
   * 5 min). Not `long` jobs: they get LONG_EXPIRE_SECONDS.
   */
  expireSeconds?: number;
  /** How often expired jobs are looked for (pg-boss maintenance; default 60 s). */
  maintenanceSeconds?: number;
  /** Base delay of job retries in ms, doubled per attempt by pg-boss (default 30 s). */
  retryBaseMs?: number;
  /** Delay before a job whose singleton key is busy on another worker asks again (default 5 s). */
  busyRetryMs?: number;
  stopTimeoutMs?: number;
  onError?: (error: unknown, job?: Job) => void;
}

interface JobData {
  tenantId: string;
  payload: JobPayload;
}

/** The queue whose one-a-minute cron fires every tenant's due schedules, once across all instances. */
const TICK = 'ucbridge.schedule-tick';
/**
 * Expiry of `long` jobs: pg-boss's longest (it refuses 24 h). They show their liveness another way
 * (a sync run's heartbeat: see queueAbandonedRuns), and pg-boss would fail one still running at
 * expiry and retry it beside it.
 */
const LONG_EXPIRE_SECONDS = 23 * 3600;
/** Advisory-lock class of singleton keys (keeps them apart from other advisory locks). */
const LOCK_CLASS = 0x75636a; // "ucj"

/** pg-boss keeps its tables apart from ours (both have a `job` table). */
export const jobsSchemaName = (schema: string | undefined): string => (schema ? `${schema}_pgboss` : 'pgboss');

/**
 * The scaled-out runner: jobs live in pg-boss on the shared PostgreSQL, so any instance may run
 * any job; one whose instance died expires and is retried by another (`long` jobs are taken over
 * through their own liveness instead). Singleton keys hold a session advisory lock while they run
 * (released by PostgreSQL if the holder dies), and a queued job with the same key absorbs new
 * requests. Tenant schedules stay in `job_schedule` (pg-boss 10
 * keys its schedules by queue name only, which would mean a queue and a worker per tenant); the
 * cluster-wide pg-boss cron `TICK` fires the due ones, so no process owns a timer.
 */
export class PostgresJobRunner implements JobRunner {
  private readonly boss: PgBoss;
  private readonly pool: pg.Pool;
  private readonly schedules;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly longJobs = new Set<string>();
  private readonly queues = new Set<string>();
  private started = false;

  constructor(
    db: Kysely<Database>,
    private readonly options: PostgresRunnerOptions,
  ) {
    this.schedules = scheduleRepo(db);
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: options.schema,
      max: 4,
      maintenanceIntervalSeconds: options.maintenanceSeconds ?? 60,
    });
    this.boss.on('error', (error: unknown) => options.onError?.(error));
    // Holds the per-tenant session locks: a vanished host's must be released (DEAD_CLIENT_DETECTION).
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 2 + (options.concurrency ?? 2) * 4, keepAlive: true, options: DEAD_CLIENT_DETECTION });
    this.pool.on('error', (error: unknown) => options.onError?.(error));
  }

  work(name: string, handler: JobHandler, options: WorkOptions = {}): void {
    this.handlers.set(name, handler);
    if (options.long) this.longJobs.add(name);
  }

  async enqueue(name: string, tenantId: string, options: EnqueueOptions = {}): Promise<string> {
    await this.ensureQueue(name);
    const runAt = new Date(Math.max(Date.now(), options.runAt?.getTime() ?? 0));
    const data: JobData = { tenantId, payload: options.payload ?? {} };
    const retryBase = Math.max(1, Math.round((this.options.retryBaseMs ?? 30_000) / 1000));
    // At least one retry, so a job whose instance died (expired) is taken over by another.
    const send = {
      startAfter: runAt,
      retryLimit: Math.max(1, options.retryLimit ?? 0),
      retryDelay: retryBase,
      retryBackoff: true,
      expireInSeconds: this.longJobs.has(name) ? LONG_EXPIRE_SECONDS : (this.options.expireSeconds ?? 300),
    };
    const key = options.singletonKey;
    if (!key) return this.sent(await this.boss.send(name, data, send), name);
    return this.inTransaction(async (client) => {
      // Check-then-insert of one key must not interleave with another instance's.
      await client.query('select pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, this.lockKey(`enqueue:${name}:${key}`)]);
      const queued = await client.query<{ id: string }>(
        `update ${this.options.schema}.job set start_after = least(start_after, $3)
          where id = (select id from ${this.options.schema}.job
                       where name = $1 and singleton_key = $2 and state < 'active' order by start_after limit 1)
          returning id`,
        [name, key, runAt],
      );
      const absorbed = queued.rows[0]?.id;
      if (absorbed) return absorbed;
      const db = { executeSql: (text: string, values: unknown[]) => client.query(text, values) };
      return this.sent(await this.boss.send(name, data, { ...send, singletonKey: key, db }), name);
    });
  }

  async schedule(name: string, tenantId: string, cron: CronSpec, options: ScheduleOptions = {}): Promise<void> {
    await saveSchedule(this.schedules, { name, tenantId }, cron, options, Date.now());
  }

  async unschedule(name: string, tenantId: string): Promise<void> {
    await this.schedules.remove(tenantId, name);
  }

  nextScheduled(name: string, tenantId: string): Promise<Date | null> {
    return nextScheduledRun(this.schedules, name, tenantId);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.boss.start();
    await this.ensureQueue(TICK);
    await this.boss.schedule(TICK, '* * * * *', {}, { tz: 'UTC', retryLimit: 0 });
    const workOptions = { includeMetadata: true as const, batchSize: 1, pollingIntervalSeconds: this.options.pollSeconds ?? 2 };
    await this.boss.work(TICK, workOptions, () => this.fireDue());
    for (const [name, handler] of this.handlers) {
      await this.ensureQueue(name);
      for (let i = 0; i < (this.options.concurrency ?? 2); i++) {
        await this.boss.work<JobData>(name, workOptions, async ([job]) => {
          if (job) await this.run(job, handler);
        });
      }
    }
    // Times missed while every instance was down fire once now.
    await this.fireDue();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Jobs still running when the timeout ends expire and are retried by another instance (long
    // ones: their sync run's heartbeat goes stale and another instance resumes it).
    const timeout = this.options.stopTimeoutMs ?? 10_000;
    await this.boss.stop({ graceful: true, wait: true, timeout });
    // A sync still running holds its lock connection until the directory service stops it (after
    // this service): the pool closes then, without holding up the shutdown.
    const ended = this.pool.end().catch((error: unknown) => this.options.onError?.(error));
    await Promise.race([ended, new Promise<void>((resolve) => setTimeout(resolve, timeout).unref())]);
  }

  private async fireDue(): Promise<void> {
    const now = Date.now();
    for (const row of await this.schedules.due(now)) {
      await fireSchedule(this.schedules, row, now, (name, tenantId, options) => this.enqueue(name, tenantId, options));
    }
  }

  /** Runs one job; a singleton key busy elsewhere re-queues it (coalescing) instead of running twice. */
  private async run(raw: PgBoss.JobWithMetadata<JobData>, handler: JobHandler): Promise<void> {
    const job: Job = { id: raw.id, name: raw.name, tenantId: raw.data.tenantId, payload: raw.data.payload, attempt: raw.retryCount + 1 };
    const key = raw.singletonKey;
    const release = key ? await this.tryLock(key) : () => Promise.resolve();
    if (!release) {
      const runAt = new Date(Date.now() + (this.options.busyRetryMs ?? 5_000));
      await this.enqueue(job.name, job.tenantId, { payload: job.payload, runAt, retryLimit: raw.retryLimit, ...(key ? { singletonKey: key } : {}) });
      return;
    }
    try {
      await handler(job);
    } catch (error) {
      this.options.onError?.(error, job);
      throw error;
    } finally {
      await release();
    }
  }

  /**
   * Advisory locks belong to the whole database: keys carry this deployment's pg-boss schema, so
   * deployments (or test runs) sharing a database never wait on each other's keys.
   */
  private lockKey(key: string): string {
    return `${this.options.schema}:${key}`;
  }

  /** A session advisory lock on a dedicated connection: PostgreSQL drops it if this process dies. */
  private async tryLock(key: string): Promise<(() => Promise<void>) | undefined> {
    const client = await this.pool.connect();
    try {
      const result = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as ok', [LOCK_CLASS, this.lockKey(key)]);
      if (!result.rows[0]?.ok) {
        client.release();
        return undefined;
      }
    } catch (error) {
      client.release(true);
      throw error;
    }
    return async () => {
      try {
        await client.query('select pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, this.lockKey(key)]);
        client.release();
      } catch (error) {
        client.release(true);
        this.options.onError?.(error);
      }
    };
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async ensureQueue(name: string): Promise<void> {
    if (this.queues.has(name)) return;
    if (!(await this.boss.getQueue(name))) {
      // pg-boss creates a partition per queue; two instances creating one at once deadlock.
      const client = await this.pool.connect();
      try {
        await client.query('select pg_advisory_lock($1, hashtext($2))', [LOCK_CLASS, this.lockKey(`queue:${name}`)]);
        await this.boss.createQueue(name, { name, policy: 'standard' });
      } finally {
        await client.query('select pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, this.lockKey(`queue:${name}`)]).catch(() => undefined);
        client.release();
      }
    }
    this.queues.add(name);
  }

  private sent(id: string | null, name: string): string {
    if (!id) throw new Error(`pg-boss did not accept a job for ${name}`);
    return id;
  }
}
