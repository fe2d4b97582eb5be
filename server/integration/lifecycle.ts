import { z } from 'zod';
import { dropWaitingRuns, forgetSyncState, GROUP_SYNC, readSettings, settleExtensions, settleGroups, stopRuns, unfreeze, USER_SYNC } from '../directory/index.js';
import { stopContactRuns } from '../contacts/index.js';
import { AppError } from '../errors.js';
import { dropTenantSubscriptions, refreshChangeTracking } from '../jobs/index.js';
import { integrationRepo, nowIso, type Store } from '../store/index.js';
import type { IntegrationDeps } from './connect.js';
import { notifyIntegrationEnded } from './ended.js';

export const settleInput = z.strictObject({
  deleteExtensions: z.boolean(),
  deleteGroups: z.boolean(),
});
export type SettleInput = z.infer<typeof settleInput>;

async function requireStatus(deps: IntegrationDeps, tenantId: string, allowed: string[], action: string) {
  const row = await integrationRepo(deps.store.db).get(tenantId);
  if (!row) throw new AppError('integration_not_connected', `There is no integration to ${action}.`, { hint: 'Connect it with PUT /api/v1/integration.' });
  if (!allowed.includes(row.status)) {
    throw new AppError('conflict', `The integration is ${row.status}; it cannot be ${action}d now.`);
  }
}

/** This tenant's runs in this process end (other tenants' go on), and its held and queued runs are dropped. */
async function endRuns(store: Store, tenantId: string, reason: string): Promise<void> {
  await Promise.all([stopRuns(store, { tenantId, reason }), stopContactRuns(store, { tenantId, reason })]);
  await dropWaitingRuns(store, tenantId, reason);
}

/**
 * Disable: sync and SSO stop, the configuration stays. Synced extensions and groups are deleted
 * or kept read-only, as the admin chose.
 */
export async function disableIntegration(deps: IntegrationDeps, tenantId: string, choice: SettleInput): Promise<void> {
  await requireStatus(deps, tenantId, ['connected'], 'disable');
  await dropTenantSubscriptions(deps, tenantId);
  await integrationRepo(deps.store.db).update(tenantId, { status: 'disabled', updated_at: nowIso() });
  await endRuns(deps.store, tenantId, 'The integration was disabled.');
  await settleExtensions(deps.store, tenantId, choice.deleteExtensions ? 'delete' : 'read-only');
  await settleGroups(deps.store, tenantId, choice.deleteGroups ? 'delete' : 'read-only');
  await refreshChangeTracking(deps.store, tenantId);
  await notifyIntegrationEnded(deps.store, tenantId, 'disabled');
}

/**
 * Enable: kept objects of the syncs that are on become Entra-managed again (those of a sync paused
 * with "keep" stay read-only until it resumes, SPEC §2–3); the next run brings back deleted ones.
 */
export async function enableIntegration(deps: IntegrationDeps, tenantId: string): Promise<void> {
  await requireStatus(deps, tenantId, ['disabled'], 'enable');
  await integrationRepo(deps.store.db).update(tenantId, { status: 'connected', updated_at: nowIso() });
  const users = await readSettings(deps.store, tenantId, USER_SYNC);
  const groups = await readSettings(deps.store, tenantId, GROUP_SYNC);
  await unfreeze(deps.store, tenantId, { extensions: users.enabled, groups: groups.enabled });
  // Objects deleted while disabled must come back: the next run is a full one.
  await forgetSyncState(deps.store, tenantId, { users: true, groups: true });
  await refreshChangeTracking(deps.store, tenantId);
}

/**
 * Before a tenant is deleted: its runs end (a run going on would write rows for a tenant that no
 * longer exists) and its Graph subscriptions are deleted while its credentials still exist.
 */
export async function windDownTenant(deps: IntegrationDeps, tenantId: string): Promise<void> {
  await endRuns(deps.store, tenantId, 'The tenant was deleted.');
  if (await integrationRepo(deps.store.db).get(tenantId)) await dropTenantSubscriptions(deps, tenantId);
}

/**
 * Disconnect: the connection (and its sealed secret) is removed; synced objects are deleted or
 * released to full local management.
 */
export async function disconnectIntegration(deps: IntegrationDeps, tenantId: string, choice: SettleInput): Promise<void> {
  await requireStatus(deps, tenantId, ['connected', 'disabled'], 'disconnect');
  await endRuns(deps.store, tenantId, 'The integration was disconnected.');
  await settleExtensions(deps.store, tenantId, choice.deleteExtensions ? 'delete' : 'release');
  await settleGroups(deps.store, tenantId, choice.deleteGroups ? 'delete' : 'release');
  await forgetSyncState(deps.store, tenantId, { users: true, groups: true });
  await dropTenantSubscriptions(deps, tenantId);
  await integrationRepo(deps.store.db).remove(tenantId);
  await refreshChangeTracking(deps.store, tenantId);
  await notifyIntegrationEnded(deps.store, tenantId, 'disconnected');
}
