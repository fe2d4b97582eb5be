import type { Kysely } from 'kysely';
import type { Database, JobTable } from '../store/index.js';
import { systemClock, type Clock } from './clock.js';
import { jobRepo, scheduleRepo, type ScheduleRow } from './job-repo.js';
import { fireSchedule, nextScheduledRun, saveSchedule } from './schedule-fire.js';
import type { CronSpec, EnqueueOptions, Job, JobHandler, JobPayload, JobRunner, ScheduleOptions } from './runner.js';

export interface EmbeddedRunnerOptions {
  clock?: Clock;
  /** Jobs running at once across all tenants (default 4). */
  concurrency?: number;
  /** Longest sleep between looks at the store, in case of a missed wake-up (default 5 s). */
  maxIdleMs?: number;
  /** How long `stop` waits for running jobs before leaving them to be re-run (default 10 s). */
  stopTimeoutMs?: number;
  /** Base delay of job retries, doubled per attempt (default 30 s). */
  retryBaseMs?: number;
  /** A job (or, without one, the runner's own loop) failed. */
  onError?: (error: unknown, job?: Job) => void;
}


/**
 * The in-process runner for the embedded (single-process) deployment. Every job and schedule
 * lives in the store first, so a restart loses nothing: jobs left running are queued again and a
 * schedule missed while down fires once. A timer wakes the loop at the next due time.
 */
export class EmbeddedJobRunner implements JobRunner {
  private readonly clock: Clock;
  private readonly jobs;
  private readonly schedules;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly activeKeys = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private cancelTimer: (() => void) | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private started = false;
  /** Serialises enqueues: a singleton check and its insert must not interleave with another. */
  private enqueueChain: Promise<unknown> = Promise.resolve();

  constructor(
    db: Kysely<Database>,
    private readonly options: EmbeddedRunnerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.jobs = jobRepo(db);
    this.schedules = scheduleRepo(db);
  }

  work(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  enqueue(name: string, tenantId: string, options: EnqueueOptions = {}): Promise<string> {
    const result = this.enqueueChain.then(() => this.insertJob(name, tenantId, options));
    this.enqueueChain = result.catch(() => undefined);
    return result.then((id) => {
      this.wake();
      return id;
    });
  }

  private async insertJob(name: string, tenantId: string, options: EnqueueOptions): Promise<string> {
    const now = this.clock.now();
    const runAt = Math.max(now, options.runAt?.getTime() ?? now);
    const singletonKey = options.singletonKey ?? null;
    if (singletonKey) {
      const queued = await this.jobs.findQueued(name, singletonKey);
      if (queued) {
        if (Date.parse(queued.run_at) > runAt) await this.jobs.moveEarlier(queued.id, runAt);
        return queued.id;
      }
    }
    const payload = options.payload ?? {};
    return this.jobs.insert({ tenantId, name, singletonKey, payload, runAt, retryLimit: options.retryLimit ?? 0, now });
  }

  async schedule(name: string, tenantId: string, cron: CronSpec, options: ScheduleOptions = {}): Promise<void> {
    if (await saveSchedule(this.schedules, { name, tenantId }, cron, options, this.clock.now())) this.wake();
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
    await this.jobs.requeueActive();
    this.wake();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.ticking;
    const timeout = new Promise<void>((resolve) => {
      const handle = setTimeout(resolve, this.options.stopTimeoutMs ?? 10_000);
      handle.unref();
    });
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
  }

  /** Runs everything due now and waits until nothing is left running (tests with a manual clock). */
  async tick(): Promise<void> {
    this.wake();
    while (this.ticking || this.running.size > 0) {
      await this.ticking;
      await Promise.allSettled([...this.running]);
    }
  }

  /** Looks at the store soon; ticks never overlap (a wake during one runs one more). */
  private wake(): void {
    if (!this.started) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.loop()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.ticking = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async loop(): Promise<void> {
    if (!this.started) return;
    const now = this.clock.now();
    for (const row of await this.schedules.due(now)) await this.fire(row, now);
    await this.startDueJobs(now);
    await this.armTimer(now);
  }

  private async fire(row: ScheduleRow, now: number): Promise<void> {
    await fireSchedule(this.schedules, row, now, (name, tenantId, options) => this.insertJob(name, tenantId, options));
  }

  private async startDueJobs(now: number): Promise<void> {
    const concurrency = this.options.concurrency ?? 4;
    if (this.running.size >= concurrency) return;
    for (const row of await this.jobs.due(now, concurrency * 4)) {
      if (this.running.size >= concurrency) return;
      const handler = this.handlers.get(row.name);
      if (!handler || (row.singleton_key && this.activeKeys.has(row.singleton_key))) continue;
      if (!(await this.jobs.claim(row.id, now))) continue;
      this.launch(row, handler);
    }
  }

  private launch(row: JobTable, handler: JobHandler): void {
    const key = row.singleton_key;
    if (key) this.activeKeys.add(key);
    const job: Job = {
      id: row.id,
      name: row.name,
      tenantId: row.tenant_id,
      payload: JSON.parse(row.payload) as JobPayload,
      attempt: row.attempt + 1,
    };
    const run = this.execute(job, row.retry_limit, handler).finally(() => {
      if (key) this.activeKeys.delete(key);
      this.running.delete(run);
      this.wake();
    });
    this.running.add(run);
  }

  private async execute(job: Job, retryLimit: number, handler: JobHandler): Promise<void> {
    try {
      await handler(job);
      await this.jobs.finish(job.id);
    } catch (error) {
      this.options.onError?.(error, job);
      const message = error instanceof Error ? error.message : String(error);
      if (job.attempt <= retryLimit) {
        const delay = (this.options.retryBaseMs ?? 30_000) * 2 ** (job.attempt - 1);
        await this.jobs.retryAt(job.id, this.clock.now() + delay, message);
      } else {
        await this.jobs.fail(job.id, message);
      }
    }
  }

  private async armTimer(now: number): Promise<void> {
    const [job, schedule] = await Promise.all([this.jobs.nextQueuedAt(), this.schedules.nextDueAt()]);
    const idle = this.options.maxIdleMs ?? 5_000;
    const next = Math.min(job ?? Infinity, schedule ?? Infinity, now + idle);
    // Something due but not started waits for a running job to end (which wakes the loop).
    const delay = next <= now ? idle : next - now;
    this.cancelTimer?.();
    if (!this.started) return;
    this.cancelTimer = this.clock.setTimer(() => this.wake(), delay);
  }
}
