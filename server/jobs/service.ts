import type { Config } from '../config.js';
import { onSyncSettingsSaved, runLiveness } from '../directory/index.js';
import { AppError } from '../errors.js';
import { repeat, type Repeating } from '../repeat.js';
import type { Store } from '../store/index.js';
import { handleLifecycle, queuePoll, reconcileTenant, type TrackingDeps, type TrackingMode } from './change-tracking.js';
import { ChangeDebouncer } from './debounce.js';
import { EmbeddedJobRunner, type EmbeddedRunnerOptions } from './embedded-runner.js';
import { jobsSchemaName, PostgresJobRunner, type PostgresRunnerOptions } from './postgres-runner.js';
import type { JobRunner } from './runner.js';
import { authenticItems, dispatchToHandlers, type NotificationBody, type NotificationLog } from './notifications.js';
import { getScheduleSettings, saveScheduleSettings, type ScheduleSettings } from './schedule-settings.js';
import { DELTA_SYNC, FULL_SYNC, lastDirectoryRunStart, queueAbandonedRuns, runDirectorySync } from './sync-jobs.js';

const LIFECYCLE = 'graph.subscription-lifecycle';

export interface JobsOptions {
  /** How often every tenant's schedule and subscriptions are checked (default 1 min). */
  reconcileMs: number;
  /** Options of whichever runner runs (embedded on SQLite, pg-boss on PostgreSQL). */
  runner: EmbeddedRunnerOptions & Omit<PostgresRunnerOptions, 'connectionString' | 'schema'>;
}
// Jobs still running at shutdown are queued again on the next start, so stop need not wait long.
const DEFAULT_OPTIONS: JobsOptions = { reconcileMs: 60_000, runner: { stopTimeoutMs: 2_000 } };
const configured = new WeakMap<Store, Partial<JobsOptions>>();

/** Overrides for one store's jobs service (runner options apply from the next start; reconcileMs at once). */
export function configureJobs(store: Store, options: Partial<JobsOptions>): void {
  configured.set(store, options);
}

interface Runtime extends TrackingDeps {
  reconcile(tenantId: string): Promise<TrackingMode>;
}
/** The running service of each store, for the HTTP handlers (which are built before it). */
const runtimes = new WeakMap<Store, Runtime>();

function runtimeOf(store: Store): Runtime {
  const runtime = runtimes.get(store);
  if (!runtime) throw new AppError('not_ready', 'The job runner is not running yet; retry shortly.');
  return runtime;
}

/** The one place that picks the runner: pg-boss when the store is PostgreSQL (scale-out), else in-process. */
function createRunner(store: Store, config: Config, options: JobsOptions['runner']): JobRunner {
  if (store.dialect !== 'postgres' || !config.databaseUrl) return new EmbeddedJobRunner(store.db, options);
  return new PostgresJobRunner(store.db, { ...options, connectionString: config.databaseUrl, schema: jobsSchemaName(config.databaseSchema) });
}

type Log = NotificationLog & { error(details: Record<string, unknown>, message: string): void };

/**
 * The jobs background service: the embedded runner with the directory-sync, polling and
 * lifecycle jobs, and a periodic reconcile of every tenant's schedule and change tracking.
 */
export function jobsService(ctx: { store: Store; config: Config }, app: { log: Log }) {
  const options = { ...DEFAULT_OPTIONS, ...configured.get(ctx.store) };
  const log = app.log;
  const runner = createRunner(ctx.store, ctx.config, {
    onError: (err, job) => log.warn({ err, job: job?.name, tenantId: job?.tenantId }, 'job failed'),
    ...options.runner,
  });
  const debounce = new ChangeDebouncer(
    runner,
    (tenantId) => getScheduleSettings(ctx.store, tenantId),
    (tenantId) => lastDirectoryRunStart(ctx.store, tenantId),
  );
  const syncDeps = { store: ctx.store, config: ctx.config, log };
  const runtime: Runtime = {
    store: ctx.store,
    config: ctx.config,
    runner,
    debounce,
    modes: new Map(),
    log,
    reconcile: (tenantId) => reconcileTenant(runtime, tenantId),
  };
  // Sync jobs last as long as their run, whose heartbeat shows it is alive.
  const long = { long: true };
  runner.work(
    FULL_SYNC,
    async (job) => {
      await runDirectorySync(syncDeps, runner, job);
    },
    long,
  );
  runner.work(
    DELTA_SYNC,
    async (job) => {
      debounce.started(job.tenantId);
      try {
        await runDirectorySync(syncDeps, runner, job);
      } finally {
        // Also after a failure: polling must go on, and delta jobs are not retried (once on PostgreSQL).
        await queuePoll(runtime, job.tenantId);
      }
    },
    long,
  );
  runner.work(LIFECYCLE, (job) => handleLifecycle(runtime, job));

  const loops: Repeating[] = [];
  const reconcileAll = async () => {
    const tenants = await ctx.store.db.selectFrom('integration').select('tenant_id').execute();
    for (const { tenant_id } of tenants) {
      await runtime.reconcile(tenant_id).catch((err: unknown) => log.warn({ err, tenantId: tenant_id }, 'reconcile failed'));
    }
  };
  const resumeAbandoned = async () => {
    const resumed = await queueAbandonedRuns(ctx.store, runner);
    if (resumed.length > 0) log.warn({ tenants: resumed }, 'resuming directory syncs abandoned by a stopped instance');
  };
  return {
    name: 'jobs',
    async start() {
      runtimes.set(ctx.store, runtime);
      await runner.start();
      await reconcileAll();
      const reconcileMs = () => ({ ...options, ...configured.get(ctx.store) }).reconcileMs;
      loops.push(repeat({ everyMs: reconcileMs }, reconcileAll, (err) => log.warn({ err }, 'reconcile failed')));
      // Scaled out, an instance that dies leaves its run to the others (one process owns SQLite and
      // resumes its own runs on start), checked once per heartbeat so a run is taken over soon after
      // it goes stale. Not at start: the directory service is resuming runs then.
      if (ctx.store.dialect === 'postgres') {
        const heartbeatMs = () => runLiveness(ctx.store).heartbeatMs;
        loops.push(repeat({ everyMs: heartbeatMs }, resumeAbandoned, (err) => log.warn({ err }, 'checking for abandoned syncs failed')));
      }
    },
    async stop() {
      for (const loop of loops.splice(0)) void loop.stop();
      runtimes.delete(ctx.store);
      await runner.stop();
    },
  };
}

/**
 * Re-reads a tenant's integration and settings and adjusts its schedule, subscriptions or
 * polling. Call after connecting, disconnecting, enabling or disabling sync (no-op before start).
 */
export async function refreshChangeTracking(store: Store, tenantId: string): Promise<TrackingMode | undefined> {
  return runtimes.get(store)?.reconcile(tenantId);
}
// Directory cannot import jobs (jobs imports directory): it calls back after sync settings are saved.
onSyncSettingsSaved(refreshChangeTracking);

export async function putScheduleSettings(store: Store, tenantId: string, value: ScheduleSettings): Promise<ScheduleSettings> {
  await saveScheduleSettings(store, tenantId, value);
  await refreshChangeTracking(store, tenantId);
  return value;
}

export interface Caller {
  ip: string;
  log: NotificationLog;
}

/** Change notifications: authentic items count as changes of their tenant (persisted as a queued run). */
export async function acceptNotifications(store: Store, body: NotificationBody, caller: Caller): Promise<number> {
  const runtime = runtimeOf(store);
  const items = await authenticItems(store, body, caller.log, { ip: caller.ip, kind: 'notification' });
  const directory = await dispatchToHandlers(store, items, 'notification');
  const perTenant = new Map<string, number>();
  for (const { subscription } of directory) perTenant.set(subscription.tenantId, (perTenant.get(subscription.tenantId) ?? 0) + 1);
  for (const [tenantId, changes] of perTenant) await runtime.debounce.note(tenantId, changes);
  return items.length;
}

/** Lifecycle notifications: each authentic one becomes a lifecycle job (renew/recreate + catch-up). */
export async function acceptLifecycle(store: Store, body: NotificationBody, caller: Caller): Promise<number> {
  const runtime = runtimeOf(store);
  const items = await authenticItems(store, body, caller.log, { ip: caller.ip, kind: 'lifecycle' });
  for (const { item, subscription } of await dispatchToHandlers(store, items, 'lifecycle')) {
    await runtime.runner.enqueue(LIFECYCLE, subscription.tenantId, {
      singletonKey: `lifecycle:${subscription.id}:${item.lifecycleEvent ?? ''}`,
      payload: { subscriptionId: subscription.id, event: item.lifecycleEvent ?? '' },
      retryLimit: 3,
    });
  }
  return items.length;
}

/** When the tenant's scheduled sync fires next, and how changes reach it now. */
export async function scheduleStatus(store: Store, tenantId: string) {
  const runtime = runtimes.get(store);
  const next = await runtime?.runner.nextScheduled(FULL_SYNC, tenantId);
  return { nextScheduledSync: next?.toISOString() ?? null, changeTracking: runtime?.modes.get(tenantId) ?? 'off' };
}

export { getScheduleSettings };
