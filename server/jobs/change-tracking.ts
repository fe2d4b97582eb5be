import type { Config } from '../config.js';
import { GROUP_SYNC, readSettings, USER_SYNC } from '../directory/index.js';
import { graphForTenant } from '../graph/index.js';
import { integrationRepo, type Store } from '../store/index.js';
import type { ChangeDebouncer } from './debounce.js';
import type { Job, JobRunner } from './runner.js';
import { getScheduleSettings, scheduleCron } from './schedule-settings.js';
import { dropTenantSubscriptions, ensureSubscriptions, renewSubscription, subscriptionRepo } from './subscriptions.js';
import { DELTA_SYNC, FULL_SYNC, syncKey } from './sync-jobs.js';

/** How a tenant learns about changes between scheduled runs. */
export type TrackingMode = 'notifications' | 'polling' | 'off';

export interface TrackingDeps {
  store: Store;
  config: Pick<Config, 'publicUrl' | 'graphCaFile'>;
  runner: JobRunner;
  debounce: ChangeDebouncer;
  modes: Map<string, TrackingMode>;
  log: { warn(details: Record<string, unknown>, message: string): void };
}

async function syncEnabled(store: Store, tenantId: string): Promise<boolean> {
  try {
    const [users, groups] = await Promise.all([readSettings(store, tenantId, USER_SYNC), readSettings(store, tenantId, GROUP_SYNC)]);
    return users.enabled || groups.enabled;
  } catch {
    return false;
  }
}

/** Queues the next delta poll (a queued one absorbs it). */
export async function queuePoll(deps: TrackingDeps, tenantId: string): Promise<void> {
  if (deps.modes.get(tenantId) !== 'polling') return;
  const { pollSeconds } = await getScheduleSettings(deps.store, tenantId);
  await deps.runner.enqueue(DELTA_SYNC, tenantId, { singletonKey: syncKey(tenantId), runAt: new Date(Date.now() + pollSeconds * 1000) });
}

/**
 * Brings one tenant's background sync in line with its integration and settings: the cron
 * schedule, and change notifications (PUBLIC_URL set) or delta polling (no PUBLIC_URL, or Graph
 * refused the subscription). Idempotent; runs at start, every minute and after changes.
 */
export async function reconcileTenant(deps: TrackingDeps, tenantId: string): Promise<TrackingMode> {
  const settings = await getScheduleSettings(deps.store, tenantId);
  const connected = (await integrationRepo(deps.store.db).get(tenantId))?.status === 'connected';
  const active = connected && (await syncEnabled(deps.store, tenantId));
  if (!active) await deps.runner.unschedule(FULL_SYNC, tenantId);
  else await deps.runner.schedule(FULL_SYNC, tenantId, scheduleCron(settings), { singletonKey: syncKey(tenantId) });
  let mode: TrackingMode = active && settings.changeTrigger.enabled ? 'polling' : 'off';
  if (mode !== 'off' && deps.config.publicUrl) {
    try {
      await ensureSubscriptions(deps, tenantId, deps.config.publicUrl, Date.now());
      mode = 'notifications';
    } catch (error) {
      const code = (error as { code?: string }).code;
      deps.log.warn({ tenantId, code, err: error }, 'cannot subscribe to Graph change notifications; polling with delta instead');
    }
  }
  if (mode !== 'notifications') await dropTenantSubscriptions(deps, tenantId);
  deps.modes.set(tenantId, mode);
  // Every time, not only when polling starts: a queued poll absorbs this one, and a lost one (its
  // job failed before queueing the next) is queued again.
  if (mode === 'polling') await queuePoll(deps, tenantId);
  return mode;
}

/** The lifecycle job: keep the subscription alive, then catch up on what may have been missed. */
export async function handleLifecycle(deps: TrackingDeps, job: Job): Promise<void> {
  const subscriptionId = String(job.payload.subscriptionId);
  const event = String(job.payload.event);
  if (event === 'reauthorizationRequired') {
    const graph = await graphForTenant(deps, job.tenantId);
    if (!(await renewSubscription(deps.store, graph, subscriptionId, Date.now()))) await reconcileTenant(deps, job.tenantId);
  } else if (event === 'subscriptionRemoved') {
    await subscriptionRepo(deps.store).remove(subscriptionId);
    await reconcileTenant(deps, job.tenantId);
  }
  // `missed` and the other two: a delta round fetches everything since the last one.
  await deps.runner.enqueue(DELTA_SYNC, job.tenantId, { singletonKey: syncKey(job.tenantId) });
}
