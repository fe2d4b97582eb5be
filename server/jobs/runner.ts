/**
 * The job runner contract. The embedded implementation (./embedded-runner.ts) keeps jobs in the
 * store and runs them in this process; a PostgreSQL implementation on pg-boss implements the
 * same interface (`work` ≈ `boss.work`, `enqueue` ≈ `boss.send` with `singletonKey`/`startAfter`,
 * `schedule` ≈ `boss.schedule` with `tz`).
 */

/** JSON-serialisable job data. */
export type JobPayload = Record<string, unknown>;

export interface Job {
  id: string;
  name: string;
  tenantId: string;
  payload: JobPayload;
  /** 1 on the first run, 2 on the first retry… */
  attempt: number;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface WorkOptions {
  /**
   * The job runs as long as its work takes (a directory sync of a large tenant) and shows that it
   * is alive another way (the sync run's heartbeat): the scaled-out runner gives it the longest
   * expiry pg-boss allows, so it is not failed and retried beside itself after `expireSeconds`.
   */
  long?: boolean;
}

export interface EnqueueOptions {
  payload?: JobPayload;
  /**
   * Jobs with the same key never run at the same time (e.g. one directory sync per tenant), and a
   * job of the same name and key that is still queued absorbs this request: its start moves to the
   * earlier of the two times, so requests coalesce instead of piling up. A job that is already
   * running does not absorb it: one more run is queued behind it, so no change is missed.
   */
  singletonKey?: string;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Retries after a failure, with exponential backoff (default 0). */
  retryLimit?: number;
}

/** A cron pattern (minute hour day-of-month month day-of-week) evaluated in an IANA time zone. */
export interface CronSpec {
  pattern: string;
  timeZone: string;
}

export interface ScheduleOptions {
  payload?: JobPayload;
  singletonKey?: string;
}

export interface JobRunner {
  /** Registers the handler of a job name (before `start`). */
  work(name: string, handler: JobHandler, options?: WorkOptions): void;
  /** Queues a job; returns its id (an existing queued job's id when it absorbed the request). */
  enqueue(name: string, tenantId: string, options?: EnqueueOptions): Promise<string>;
  /**
   * Creates or replaces the tenant's schedule of `name`. Each due time enqueues one job whose
   * payload carries `scheduledFor` (ISO); times missed while stopped fire once on start.
   */
  schedule(name: string, tenantId: string, cron: CronSpec, options?: ScheduleOptions): Promise<void>;
  unschedule(name: string, tenantId: string): Promise<void>;
  /** When the schedule fires next, or null without one. */
  nextScheduled(name: string, tenantId: string): Promise<Date | null>;
  start(): Promise<void>;
  /** Stops taking work and waits (bounded) for running jobs. */
  stop(): Promise<void>;
}
