import { isAppError } from '../errors.js';
import { activeRun, staleBefore, startSync, waitForRun, type SyncDeps } from '../directory/index.js';
import type { Store } from '../store/index.js';
import type { Job, JobRunner } from './runner.js';

/** A scheduled run: a full re-plan, which also catches anything a delta round cannot see. */
export const FULL_SYNC = 'directory.full-sync';
/** A change-triggered or polling run: delta links, O(changes). */
export const DELTA_SYNC = 'directory.delta-sync';
/** One directory sync per tenant at a time, whichever job asked for it. */
export const syncKey = (tenantId: string): string => `directory-sync:${tenantId}`;

/** Codes that mean "nothing to sync here now", not a failure worth retrying. */
const IDLE_CODES = new Set(['sync_not_enabled', 'integration_not_connected', 'integration_disabled']);
/** Another run (e.g. "sync now" from the API) holds the tenant's slot: ask again shortly. */
const BUSY_CODES = new Set(['sync_run_active']);
const BUSY_RETRY_MS = 5_000;

/**
 * Whether a full sync due at `scheduledFor` is done or under way: a scheduled run (always full)
 * started since then succeeded, or still runs with a live heartbeat.
 */
async function fullSyncServed(store: Store, tenantId: string, scheduledFor: string): Promise<boolean> {
  const run = await store.db
    .selectFrom('sync_run')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'directory')
    .where('trigger', '=', 'schedule')
    .where('created_at', '>=', scheduledFor)
    .where((eb) => eb.or([eb('status', '=', 'succeeded'), eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '>=', staleBefore(store))])]))
    .executeTakeFirst();
  return run !== undefined;
}

/** When the tenant's latest directory run started (ms since the epoch), on any instance. */
export async function lastDirectoryRunStart(store: Store, tenantId: string): Promise<number | undefined> {
  const row = await store.db
    .selectFrom('sync_run')
    .select((eb) => eb.fn.max('started_at').as('started'))
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', 'directory')
    .executeTakeFirst();
  return row?.started ? Date.parse(row.started) : undefined;
}

/**
 * Runs a directory sync for the job and waits for it, so the runner's singleton key really means
 * one sync per tenant. A held run (deletion guard) waits for an admin, so it is not retried. A
 * full sync job retried or queued again while its own run went on (an expired job, a busy key)
 * ends once that run serves it, instead of running a second full sync after it.
 */
export async function runDirectorySync(deps: SyncDeps, runner: JobRunner, job: Job): Promise<string | undefined> {
  const full = job.name === FULL_SYNC;
  const { scheduledFor } = job.payload;
  if (full && typeof scheduledFor === 'string' && (await fullSyncServed(deps.store, job.tenantId, scheduledFor))) return undefined;
  try {
    const runId = await startSync(deps, job.tenantId, { trigger: full ? 'schedule' : 'change', full });
    await waitForRun(deps.store, runId);
    return runId;
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (IDLE_CODES.has(error.code) || error.code === 'sync_run_held') return undefined;
    if (BUSY_CODES.has(error.code)) {
      await runner.enqueue(job.name, job.tenantId, {
        singletonKey: syncKey(job.tenantId),
        runAt: new Date(Date.now() + BUSY_RETRY_MS),
        payload: job.payload,
      });
      return undefined;
    }
    throw error;
  }
}

/**
 * Re-queues the tenants whose directory run was abandoned (its process died: the heartbeat went
 * stale), so whichever instance takes the job resumes the interrupted apply and finishes the sync;
 * and those whose queued run lost the process that was to start it (nothing runs or is held).
 * Both reads use partial indexes: the run log itself is not read.
 */
export async function queueAbandonedRuns(store: Store, runner: JobRunner): Promise<string[]> {
  const stale = staleBefore(store);
  const abandoned = await store.db.selectFrom('sync_run').select('tenant_id').distinct().where('status', '=', 'running').where('heartbeat_at', '<=', stale).execute();
  const queued = await store.db.selectFrom('sync_run').select('tenant_id').distinct().where('status', '=', 'queued').where('kind', '=', 'directory').execute();
  const tenants = new Set(abandoned.map((r) => r.tenant_id));
  for (const { tenant_id } of queued) if (!(await activeRun(store.db, tenant_id, stale))) tenants.add(tenant_id);
  for (const tenantId of tenants) await runner.enqueue(DELTA_SYNC, tenantId, { singletonKey: syncKey(tenantId) });
  return [...tenants];
}
