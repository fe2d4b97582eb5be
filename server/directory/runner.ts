import type { Config } from '../config.js';
import { AppError, isAppError, registerErrorCodes } from '../errors.js';
import { executionRegistry, type Execution, type StopScope } from '../executions.js';
import { graphForTenant, type GraphClient } from '../graph/index.js';
import { refreshStatistics, type Store } from '../store/index.js';
import { syncAvatars } from './avatars.js';
import { endRun, startQueuedRun } from './cleanup.js';
import { applyPlan, guardLimit, type RunHooks } from './execute.js';
import { DirectApplier } from './direct-apply.js';
import { keepAlive, staleBefore } from './liveness.js';
import { buildPlan, StopRequested } from './plan.js';
import { PlanWriter, readPlanItems, type PlanSink } from './plan-items.js';
import { countSynced } from './synced.js';
import { addProblems, claimRunSlot, getRun, readRunRow, reportRunOutcome, saveRun, type RunTrigger, type RunView } from './runs.js';
import { GROUP_SYNC, readSettings, USER_SYNC } from './settings.js';

registerErrorCodes({ sync_not_enabled: 409 });

export interface SyncDeps {
  store: Store;
  config: Pick<Config, 'graphCaFile' | 'smtpUrl' | 'smtpFrom'>;
  log?: { error(obj: object, msg: string): void };
}

export interface StartOptions {
  trigger: RunTrigger;
  /** Ignore stored delta links (a full re-plan). */
  full?: boolean;
  /** Injected client (benchmarks, fault tests); by default the tenant's. */
  graph?: GraphClient;
  hooks?: RunHooks;
  /** Plan items (in a first population: ops) applied per transaction; tests use small ones. */
  chunkSize?: number;
  /** Objects per Graph page (tests use small pages to get many requests). */
  pageSize?: number;
  /**
   * When a run is going: queue this one to start as soon as it ends, instead of failing with
   * `sync_run_active`. One run waits per tenant at most (later requests join it); a run held by
   * the deletion guard still refuses, since an admin decides on it first.
   */
  queue?: boolean;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

const executions = executionRegistry();
const runningIn = executions.of;

/**
 * Runs `work` in the background, recording failure on the run; a stop request leaves it resumable.
 * `runId` names the run the work is (its outcome goes to run listeners), or, with `isRun` false, a
 * background task that is no run of its own.
 */
function launch(deps: SyncDeps, tenantId: string, runId: string, work: (shouldStop: () => boolean) => Promise<void>, isRun = true): void {
  const db = deps.store.db;
  const execution: Execution = { tenantId, stop: false, promise: Promise.resolve() };
  const stopBeating = keepAlive(deps.store, () => saveRun(db, runId, {}));
  execution.promise = work(() => execution.stop)
    .catch(async (error: unknown) => {
      if (error instanceof StopRequested && execution.endedBecause !== undefined) return endRun(deps.store, runId, execution.endedBecause);
      if (error instanceof StopRequested) {
        // Left `running` with an old heartbeat: the next start resumes it.
        await db.updateTable('sync_run').set({ heartbeat_at: EPOCH }).where('id', '=', runId).execute();
        return;
      }
      const message = isAppError(error) ? error.message : `Internal error: ${(error as Error).message}`;
      if (!isAppError(error)) deps.log?.error({ err: error, runId }, 'sync run failed');
      await saveRun(db, runId, { status: 'failed', error: message, finished: true });
    })
    .then(() => (isRun ? reportRunOutcome(deps.store, tenantId, runId) : undefined))
    .catch((error: unknown) => deps.log?.error({ err: error, runId }, 'cannot record the sync run result'))
    .finally(() => {
      stopBeating();
      runningIn(deps.store).delete(runId);
      // A stopping server or integration leaves the queued run to the next start, or drops it.
      if (!execution.stop) startQueued(deps, tenantId).catch((error: unknown) => deps.log?.error({ err: error }, 'queued sync run not started'));
    });
  runningIn(deps.store).set(runId, execution);
}

/**
 * Finishes runs a dead process (or a failed apply) left behind: an interrupted apply resumes from
 * its last committed chunk; an interrupted plan is dropped (the next plan starts over). Returns
 * whether one of them was a first population, which only a new run completes. A running run counts
 * as dead once its heartbeat is `staleMs` old (by default, per the store's run liveness).
 */
async function recoverInterrupted(deps: SyncDeps, tenantId: string, staleMs: number | undefined, shouldStop = () => false, graph?: GraphClient): Promise<boolean> {
  const abandonedBefore = staleBefore(deps.store, staleMs);
  const rows = await deps.store.db
    .selectFrom('sync_run')
    .select(['id', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'directory')
    .where((eb) => eb.or([eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<=', abandonedBefore)]), eb('status', '=', 'failed')]))
    .where('plan', 'not like', '%"phase":"done"%')
    .orderBy('created_at')
    .execute();
  let unfinishedPopulation = false;
  for (const { id } of rows) {
    if (runningIn(deps.store).has(id)) continue;
    const run = await readRunRow(deps.store.db, tenantId, id);
    if (run.planState.phase !== 'applying') {
      unfinishedPopulation ||= run.planState.direct;
      const error = run.planState.direct
        ? `Interrupted after ${run.progress.applied} changes were applied; the next run makes the rest.`
        : 'Interrupted before its plan was applied; the next run plans again.';
      await saveRun(deps.store.db, id, { status: 'failed', plan: { ...run.planState, phase: 'done' }, error: run.error ?? error, finished: true });
      continue;
    }
    try {
      const full = run.planState.mode === 'full';
      // The chunks applied before the interruption: their photos were never read either.
      const before = full ? [] : await changedByChunks(deps, tenantId, id, run.progress.applied);
      const changed = await applyPlan(deps, tenantId, id, { shouldStop });
      await fetchAvatars(deps, tenantId, id, graph, full ? undefined : [...before, ...changed]);
    } catch (error) {
      if (error instanceof StopRequested) throw error;
      await saveRun(deps.store.db, id, { status: 'failed', plan: { ...run.planState, phase: 'done' }, error: `Resuming failed: ${(error as Error).message}`, finished: true });
    }
  }
  return unfinishedPopulation;
}

/** Extensions that a run's first `applied` plan items create or update. */
async function changedByChunks(deps: SyncDeps, tenantId: string, runId: string, applied: number): Promise<string[]> {
  const ops = (await readPlanItems(deps.store.db, runId, 0, applied)).map((item) => item.op);
  const entraIds = ops.flatMap((op) => (op.op === 'create' || op.op === 'link' || op.op === 'update' ? [op.entraId] : []));
  const ids: string[] = [];
  for (let i = 0; i < entraIds.length; i += 500) {
    const rows = await deps.store.db.selectFrom('extension').select('id').where('tenant_id', '=', tenantId).where('entra_object_id', 'in', entraIds.slice(i, i + 500)).execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/**
 * SPEC §2 photo as avatar, once a plan is applied (planned, confirmed or resumed): the photos of
 * `changed`, or of every synced extension when undefined (photo changes are in no delta, so full
 * rounds refresh them all). The run has succeeded by now: a client that cannot be had is a problem of it.
 */
async function fetchAvatars(deps: SyncDeps, tenantId: string, runId: string, graph: GraphClient | undefined, changed: readonly string[] | undefined): Promise<void> {
  if (!(await readSettings(deps.store, tenantId, USER_SYNC)).photoAsAvatar) return;
  const problems = await (graph ? Promise.resolve(graph) : graphForTenant(deps, tenantId)).then(
    (client) => syncAvatars(deps.store, client, tenantId, changed),
    (error: unknown) => [{ objectId: '', name: 'Profile photos', reason: `profile photos not read: ${(error as Error).message}`, hint: 'The next full sync reads them.' }],
  );
  if (problems.length > 0) await addProblems(deps.store.db, tenantId, runId, problems);
}

/** The persisted plan, or direct application when the directory has no synced extension yet (nothing to guard). */
async function planSink(deps: SyncDeps, tenantId: string, runId: string, graph: GraphClient, options: StartOptions): Promise<PlanSink> {
  if ((await countSynced(deps.store.db, tenantId)) > 0) return new PlanWriter(deps.store.db, tenantId, runId);
  const run = await readRunRow(deps.store.db, tenantId, runId);
  await saveRun(deps.store.db, runId, { plan: { ...run.planState, direct: true } });
  return new DirectApplier({ deps, tenantId, runId, entraTenantId: graph.tenantId, counts: run.counts, hooks: options.hooks, batchSize: options.chunkSize });
}

async function planAndApply(deps: SyncDeps, tenantId: string, runId: string, graph: GraphClient, options: StartOptions, shouldStop: () => boolean) {
  await recoverInterrupted(deps, tenantId, undefined, shouldStop, graph);
  const [users, groups] = await Promise.all([readSettings(deps.store, tenantId, USER_SYNC), readSettings(deps.store, tenantId, GROUP_SYNC)]);
  const sink = await planSink(deps, tenantId, runId, graph, options);
  const built = await buildPlan({ db: deps.store.db, graph, tenantId, runId, users, groups, full: options.full === true, shouldStop, pageSize: options.pageSize, sink });
  const run = await readRunRow(deps.store.db, tenantId, runId);
  const counts = { ...run.counts, skipped: built.skipped };
  const limit = await guardLimit(deps.store.db, tenantId, built.plan, users.deletionGuard);
  if (limit !== undefined) {
    await saveRun(deps.store.db, runId, { status: 'held', plan: { ...built.plan, guardLimit: limit }, progress: built.progress, counts });
    return;
  }
  await saveRun(deps.store.db, runId, { plan: built.plan, progress: built.progress, counts });
  const changed = await applyPlan(deps, tenantId, runId, { hooks: options.hooks, chunkSize: options.chunkSize, shouldStop });
  // A first population is a bulk load: the next (delta) runs should be planned on its statistics.
  if (sink.appliesDirectly) await refreshStatistics(deps.store.db, ['extension', 'extension_group', 'extension_group_member', 'entra_group', 'entra_membership']);
  // A full round, or a first population (every extension is new): every avatar.
  await fetchAvatars(deps, tenantId, runId, graph, built.plan.mode === 'full' || sink.appliesDirectly ? undefined : changed);
}

/** Sync now: checks the integration and settings, claims the tenant's single run slot, runs in the background (or queues). */
export async function startSync(deps: SyncDeps, tenantId: string, options: StartOptions): Promise<string> {
  const graph = options.graph ?? (await graphForTenant(deps, tenantId));
  const [users, groups] = await Promise.all([readSettings(deps.store, tenantId, USER_SYNC), readSettings(deps.store, tenantId, GROUP_SYNC)]);
  if (!users.enabled && !groups.enabled) {
    throw new AppError('sync_not_enabled', 'Neither user sync nor group sync is enabled.', {
      hint: 'Enable one with PUT /api/v1/settings/user-sync or /api/v1/settings/group-sync.',
    });
  }
  const claim = await claimRunSlot(deps.store.db, tenantId, { kind: 'directory', trigger: options.trigger, full: options.full === true, queue: options.queue === true, staleBefore: staleBefore(deps.store) });
  if (claim.started) launch(deps, tenantId, claim.id, (shouldStop) => planAndApply(deps, tenantId, claim.id, graph, { ...options, full: claim.full }, shouldStop));
  return claim.id;
}

/** The run slot is free again: the queued run starts (or ends, if it cannot any more). */
const startQueued = (deps: SyncDeps, tenantId: string): Promise<void> =>
  startQueuedRun(deps.store, tenantId, 'directory', () => startSync(deps, tenantId, { trigger: 'manual' }));

/** Confirms a run held by the deletion guard and applies it. */
export async function confirmRun(deps: SyncDeps, tenantId: string, runId: string, hooks?: RunHooks): Promise<RunView> {
  const run = await readRunRow(deps.store.db, tenantId, runId);
  const notHeld = (status: string) => new AppError('sync_run_not_held', `Sync run ${runId} is ${status}, not held; there is nothing to confirm.`);
  if (run.status !== 'held') throw notHeld(run.status);
  // Two confirms (or a confirm and a cancel) at once: only one moves the run on.
  if (!(await saveRun(deps.store.db, runId, { status: 'running', plan: { ...run.planState, confirmed: true } }, ['held']))) {
    throw notHeld((await readRunRow(deps.store.db, tenantId, runId)).status);
  }
  launch(deps, tenantId, runId, async (shouldStop) => {
    const changed = await applyPlan(deps, tenantId, runId, { hooks, shouldStop });
    await fetchAvatars(deps, tenantId, runId, undefined, run.planState.mode === 'full' ? undefined : changed);
  });
  return getRun(deps.store, tenantId, runId);
}

/** Drops a held run's plan (the next run plans again), or a queued run before it starts. */
export async function cancelRun(deps: SyncDeps, tenantId: string, runId: string): Promise<RunView> {
  const run = await readRunRow(deps.store.db, tenantId, runId);
  const notWaiting = (status: string) => new AppError('sync_run_not_held', `Sync run ${runId} is ${status}; only a held or queued run can be cancelled.`);
  if (run.status !== 'held' && run.status !== 'queued') throw notWaiting(run.status);
  // Only while it still waits: a confirm or the start of a queued run may have come first.
  if (!(await saveRun(deps.store.db, runId, { status: 'failed', plan: { ...run.planState, phase: 'done' }, error: 'Cancelled by an admin.', finished: true }, [run.status]))) {
    throw notWaiting((await readRunRow(deps.store.db, tenantId, runId)).status);
  }
  await deps.store.db.deleteFrom('sync_plan_item').where('run_id', '=', runId).execute();
  await reportRunOutcome(deps.store, tenantId, runId);
  // A held run kept the slot: the run queued behind it may start now.
  if (run.status === 'held') await startQueued(deps, tenantId);
  return getRun(deps.store, tenantId, runId);
}

/** Resolves when the run's in-process execution (if any) has finished. */
export async function waitForRun(store: Store, runId: string): Promise<void> {
  await runningIn(store).get(runId)?.promise;
}

/** Stops directory runs in this process: all of them (they resume at the next start), or one tenant's for good. */
export const stopRuns = (store: Store, only?: StopScope): Promise<void> => executions.stop(store, only);

/**
 * At start: resumes what a dead process left (SQLite: one process owns the file, so any running
 * run is dead), and starts a run to complete an interrupted first population, or the queued run.
 */
export function recoverOnStart(deps: SyncDeps, tenantIds: string[]): void {
  const staleMs = deps.store.dialect === 'sqlite' ? 0 : undefined;
  for (const tenantId of tenantIds) {
    const key = `recovery:${tenantId}`;
    launch(deps, tenantId, key, async (shouldStop) => {
      if (!(await recoverInterrupted(deps, tenantId, staleMs, shouldStop))) return;
      await startSync(deps, tenantId, { trigger: 'initial' }).catch((error: unknown) => deps.log?.error({ err: error }, 'the run completing an interrupted first sync was not started'));
    }, false);
  }
}
