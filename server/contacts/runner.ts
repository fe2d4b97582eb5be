import type { Config } from '../config.js';
import { AppError, isAppError, registerErrorCodes } from '../errors.js';
import { executionRegistry, type Execution, type StopScope } from '../executions.js';
import { claimRunSlot, emptyCounts, keepAlive, reportRunOutcome, saveRun, staleBefore, startQueuedRun, type RunTrigger } from '../directory/index.js';
import { graphForTenant, type GraphClient } from '../graph/index.js';
import { nowIso, type Store } from '../store/index.js';
import { ContactRunStopped, executeContactRun } from './run.js';
import { hasSyncedPhonebooks } from './phonebooks.js';
import { getContactSyncSettings } from './settings.js';

registerErrorCodes({ contact_sync_not_enabled: 409 });

export const CONTACTS_RUN_KIND = 'contacts';

export interface ContactSyncDeps {
  store: Store;
  config: Pick<Config, 'graphCaFile'>;
  log?: { error(obj: object, msg: string): void };
}

export interface ContactRunOptions {
  trigger: RunTrigger;
  /** Ignore stored delta links: every folder is read in full. */
  full?: boolean;
  /** Injected client (benchmarks); by default the tenant's. */
  graph?: GraphClient;
  /** Mailboxes read at once (default 8, the Graph client's concurrency). */
  concurrency?: number;
  /**
   * When a contacts run is going: queue this one to start as soon as it ends (one waits per
   * tenant; later requests join it), instead of failing with `sync_run_active`.
   */
  queue?: boolean;
}

const executions = executionRegistry();
const runningIn = executions.of;

/** Contacts runs a dead process left `running` are closed (per-folder delta links make the next run cheap). */
export async function closeStaleRuns(store: Store, staleMs?: number): Promise<void> {
  await store.db
    .updateTable('sync_run')
    .set({ status: 'failed', error: 'Interrupted (the server stopped); the next run continues from the last synced folders.', finished_at: nowIso() })
    .where('kind', '=', CONTACTS_RUN_KIND)
    .where('status', '=', 'running')
    .where('heartbeat_at', '<=', staleBefore(store, staleMs))
    .execute();
}

function failureMessage(error: unknown, execution: Execution): string {
  if (error instanceof ContactRunStopped) return execution.endedBecause ?? 'Stopped (the server is shutting down); the next run continues.';
  return isAppError(error) ? error.message : `Internal error: ${(error as Error).message}`;
}

async function finish(deps: ContactSyncDeps, tenantId: string, runId: string, execution: Execution, error: unknown): Promise<void> {
  const db = deps.store.db;
  if (error === undefined) await saveRun(db, runId, { status: 'succeeded', finished: true, error: null });
  else {
    if (!isAppError(error) && !(error instanceof ContactRunStopped)) deps.log?.error({ err: error, runId }, 'contact sync run failed');
    await saveRun(db, runId, { status: 'failed', finished: true, error: failureMessage(error, execution) });
  }
  await reportRunOutcome(deps.store, tenantId, runId);
}

/**
 * Sync contacts now: checks the integration and settings, claims the tenant's contacts run slot
 * (one run per tenant at a time, across instances) and runs in the background, or queues behind
 * the running one (`queue`). Returns the run id (`GET /api/v1/sync-runs/{id}` shows it).
 */
export async function startContactSync(deps: ContactSyncDeps, tenantId: string, options: ContactRunOptions): Promise<string> {
  const startedAt = nowIso();
  const graph = options.graph ?? (await graphForTenant(deps, tenantId));
  const settings = await getContactSyncSettings(deps.store, tenantId);
  // With both parts off, a run still removes the phonebooks they left behind.
  if (!settings.personal.enabled && !settings.shared.enabled && !(await hasSyncedPhonebooks(deps.store, tenantId))) {
    throw new AppError('contact_sync_not_enabled', 'Neither personal nor shared-mailbox contact sync is enabled.', {
      hint: 'Enable one with PUT /api/v1/settings/contact-sync.',
    });
  }
  await closeStaleRuns(deps.store);
  const request = { kind: CONTACTS_RUN_KIND, trigger: options.trigger, full: options.full === true, queue: options.queue === true, staleBefore: staleBefore(deps.store) };
  const claim = await claimRunSlot(deps.store.db, tenantId, request);
  if (claim.started) launch(deps, tenantId, { runId: claim.id, startedAt }, graph, { ...options, full: claim.full });
  return claim.id;
}

function launch(deps: ContactSyncDeps, tenantId: string, { runId, startedAt }: { runId: string; startedAt: string }, graph: GraphClient, options: ContactRunOptions): void {
  const execution: Execution = { tenantId, stop: false, promise: Promise.resolve() };
  const stopBeating = keepAlive(deps.store, () => saveRun(deps.store.db, runId, {}));
  const input = {
    store: deps.store,
    graph,
    tenantId,
    runId,
    startedAt,
    full: options.full === true,
    concurrency: options.concurrency ?? 8,
    shouldStop: () => execution.stop,
  };
  execution.promise = executeContactRun(input, emptyCounts())
    .then(
      () => finish(deps, tenantId, runId, execution, undefined),
      (error: unknown) => finish(deps, tenantId, runId, execution, error ?? new Error('unknown failure')),
    )
    .catch((error: unknown) => deps.log?.error({ err: error, runId }, 'cannot record the contact sync result'))
    .finally(() => {
      stopBeating();
      runningIn(deps.store).delete(runId);
      // A stopping server leaves the queued run to the next start; a disabled integration drops it.
      if (!execution.stop) startQueuedContactRun(deps, tenantId).catch((error: unknown) => deps.log?.error({ err: error, tenantId }, 'queued contact sync run not started'));
    });
  runningIn(deps.store).set(runId, execution);
}

/** The tenant's contacts run slot may be free: its queued run starts (or ends, if it cannot any more). */
export const startQueuedContactRun = (deps: ContactSyncDeps, tenantId: string): Promise<void> =>
  startQueuedRun(deps.store, tenantId, CONTACTS_RUN_KIND, () => startContactSync(deps, tenantId, { trigger: 'manual' }));

/** Tenants with a contacts run waiting (for a start, or for an instance whose process died). */
export async function tenantsWithQueuedContactRuns(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('sync_run').select('tenant_id').distinct().where('status', '=', 'queued').where('kind', '=', CONTACTS_RUN_KIND).execute();
  return rows.map((r) => r.tenant_id);
}

/** Resolves when the run's in-process execution (if any) has finished. */
export async function waitForContactRun(store: Store, runId: string): Promise<void> {
  await runningIn(store).get(runId)?.promise;
}

/** Stops contacts runs in this process after their current mailboxes: all of them, or one tenant's with a reason. */
export const stopContactRuns = (store: Store, only?: StopScope): Promise<void> => executions.stop(store, only);
