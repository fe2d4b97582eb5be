import { isAppError } from '../errors.js';
import { nowIso, type Store } from '../store/index.js';
import { newChangeLog, publishChanges, recordCascade, touch } from './events.js';
import { notifyExtensionsEnded } from './hooks.js';
import { GROUPS_DELTA, USERS_DELTA } from './plan.js';
import { queuedRun, reportRunOutcome } from './runs.js';

/** What happens to synced objects when sync stops: deleted, kept read-only, or released to local management. */
export type SyncedFate = 'delete' | 'read-only' | 'release';

/** Settles the synced extensions; webhook events commit with the change, SSO sessions of deleted and released ones end. */
export async function settleExtensions(store: Store, tenantId: string, fate: SyncedFate): Promise<number> {
  const log = newChangeLog();
  const now = nowIso();
  const settled = await store.db.transaction().execute(async (trx) => {
    if (fate === 'delete') {
      const synced = trx.selectFrom('extension').select('id').where('tenant_id', '=', tenantId).where('entra_object_id', 'is not', null);
      await recordCascade(trx, tenantId, async () => (await synced.execute()).map((e) => e.id), log);
      const gone = await trx.deleteFrom('extension').where('tenant_id', '=', tenantId).where('entra_object_id', 'is not', null).returning(['id', 'number', 'entra_object_id']).execute();
      for (const e of gone) log.deletedExtensions.push({ id: e.id, number: e.number, entraObjectId: e.entra_object_id });
      log.revoke.push(...gone.map((e) => e.id));
    } else {
      const changes =
        fate === 'read-only'
          ? { read_only: 1 as const, updated_at: now }
          : { source: 'local', entra_object_id: null, entra_tenant_id: null, locked_fields: '[]', local_overrides: null, read_only: 0 as const, updated_at: now };
      const changed = await trx.updateTable('extension').set(changes).where('tenant_id', '=', tenantId).where('entra_object_id', 'is not', null).returning('id').execute();
      for (const e of changed) touch(log.extensions, e.id, 'updated');
      if (fate === 'release') log.revoke.push(...changed.map((e) => e.id));
    }
    await publishChanges(trx, tenantId, log);
    return log.deletedExtensions.length + log.extensions.size;
  });
  await notifyExtensionsEnded(store, tenantId, log.revoke);
  return settled;
}

export async function settleGroups(store: Store, tenantId: string, fate: SyncedFate): Promise<number> {
  const log = newChangeLog();
  const now = nowIso();
  return store.db.transaction().execute(async (trx) => {
    if (fate === 'delete') {
      const gone = await trx.deleteFrom('extension_group').where('tenant_id', '=', tenantId).where('entra_object_id', 'is not', null).returning('id').execute();
      log.deletedGroups.push(...gone.map((g) => g.id));
    } else {
      const changes = fate === 'read-only' ? { read_only: 1 as const, updated_at: now } : { source: 'local', entra_object_id: null, read_only: 0 as const, updated_at: now };
      const changed = await trx.updateTable('extension_group').set(changes).where('tenant_id', '=', tenantId).where('entra_object_id', 'is not', null).returning('id').execute();
      for (const g of changed) touch(log.groups, g.id, 'updated');
    }
    await publishChanges(trx, tenantId, log);
    return log.deletedGroups.length + log.groups.size;
  });
}

/** Sync resumes: kept objects become Entra-managed again (their locked fields still apply). */
export async function unfreeze(store: Store, tenantId: string, what: { extensions: boolean; groups: boolean }): Promise<void> {
  const now = nowIso();
  if (what.extensions) {
    await store.db.updateTable('extension').set({ read_only: 0, updated_at: now }).where('tenant_id', '=', tenantId).where('entra_object_id', 'is not', null).execute();
  }
  if (what.groups) {
    await store.db.updateTable('extension_group').set({ read_only: 0, updated_at: now }).where('tenant_id', '=', tenantId).where('entra_object_id', 'is not', null).execute();
  }
}

/** Forgets delta links and the group mirror: the next run is a full one. */
export async function forgetSyncState(store: Store, tenantId: string, what: { users: boolean; groups: boolean }): Promise<void> {
  const resources = [...(what.users ? [USERS_DELTA] : []), ...(what.groups ? [GROUPS_DELTA] : [])];
  // An empty link dated now, not a deleted row: a run that started before this must not save its
  // link over it when it ends (execute.ts), or the next run would be a delta round under old rules.
  const updated_at = nowIso();
  for (const resource of resources) {
    await store.db
      .insertInto('delta_state')
      .values({ tenant_id: tenantId, resource, delta_link: '', updated_at })
      .onConflict((oc) => oc.columns(['tenant_id', 'resource']).doUpdateSet({ delta_link: '', updated_at }))
      .execute();
  }
  if (what.groups) {
    await store.db.deleteFrom('entra_membership').where('tenant_id', '=', tenantId).execute();
    await store.db.deleteFrom('entra_group').where('tenant_id', '=', tenantId).execute();
  }
}

/** Integration disabled or disconnected: held and queued runs are dropped (they are for a connection that is gone). */
export async function dropWaitingRuns(store: Store, tenantId: string, reason: string): Promise<void> {
  const waiting = await store.db.selectFrom('sync_run').select('id').where('tenant_id', '=', tenantId).where('status', 'in', ['held', 'queued']).execute();
  for (const { id } of waiting) await endRun(store, id, reason);
}

/** Ends a run for good (failed, with `reason`): its plan is dropped and nothing resumes it. */
export async function endRun(store: Store, runId: string, reason: string): Promise<void> {
  await store.db.deleteFrom('sync_plan_item').where('run_id', '=', runId).execute();
  await store.db
    .updateTable('sync_run')
    .set({ status: 'failed', error: reason, finished_at: nowIso(), plan: JSON.stringify({ phase: 'done' }) })
    .where('id', '=', runId)
    .execute();
}

/**
 * The run slot of `kind` may be free: its queued run starts (`start` claims the slot, which goes to
 * the queued run). One that cannot start any more (the sync switched off, the integration gone)
 * ends failed with the reason rather than waiting for ever.
 */
export async function startQueuedRun(store: Store, tenantId: string, kind: string, start: () => Promise<unknown>): Promise<void> {
  const waiting = await queuedRun(store.db, tenantId, kind);
  if (!waiting) return;
  try {
    await start();
  } catch (error) {
    // Another run took the slot first, or holds it for an admin: the queued one starts after it.
    if (isAppError(error) && (error.code === 'sync_run_active' || error.code === 'sync_run_held')) return;
    await endRun(store, waiting.id, isAppError(error) ? error.message : `Internal error: ${(error as Error).message}`);
    await reportRunOutcome(store, tenantId, waiting.id);
  }
}
