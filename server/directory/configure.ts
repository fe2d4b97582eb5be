import type { z } from 'zod';
import { AppError, isAppError } from '../errors.js';
import { notifySettingsSaved } from './hooks.js';
import { forgetSyncState, settleExtensions, settleGroups, unfreeze, type SyncedFate } from './cleanup.js';
import { startSync, type SyncDeps } from './runner.js';
import {
  GROUP_SYNC,
  groupSyncSettings,
  hasSettings,
  readSettings,
  USER_SYNC,
  userSyncSettings,
  writeSettings,
  type GroupSyncSettings,
  type SettingsKind,
  type UserSyncSettings,
} from './settings.js';

/** When sync is paused: delete the synced objects, or keep them read-only. */
export type PauseChoice = 'keep' | 'delete';

export interface SavedSettings<T> {
  settings: T;
  /** The run this save started (initial sync, or resuming), if any. */
  runId: string | null;
}

/** Starts the run a save implies; a missing connection or a busy tenant does not fail the save. */
async function kickOff(deps: SyncDeps, tenantId: string, initial: boolean): Promise<string | null> {
  try {
    return await startSync(deps, tenantId, { trigger: initial ? 'initial' : 'manual', followUp: true });
  } catch (error) {
    if (isAppError(error) && /^(integration_|sync_run_)/.test(error.code)) return null;
    throw error;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Stores new settings; tells whether these are the first ever saved, and what they replace. */
async function replaceSettings<S extends z.ZodType>(deps: SyncDeps, tenantId: string, kind: SettingsKind<S>, next: z.output<S>) {
  const first = !(await hasSettings(deps.store, tenantId, kind));
  const previous = await readSettings(deps.store, tenantId, kind);
  await writeSettings(deps.store, tenantId, kind, next);
  // Schedules and change subscriptions follow the switch (jobs registers itself here).
  await notifySettingsSaved(deps.store, tenantId);
  return { first, previous };
}

/** The sync's synced objects: how pausing settles them, and which ones resuming unfreezes. */
interface SyncedObjects {
  settle(fate: SyncedFate): Promise<number>;
  kinds: { extensions: boolean; groups: boolean };
}

/**
 * What a save means for the synced objects and runs: switching off settles them (pause choice),
 * switching on unfreezes them and starts a run, as does the very first save.
 */
async function switchSync(deps: SyncDeps, tenantId: string, change: { first: boolean; was: boolean; now: boolean }, objects: SyncedObjects, pause: PauseChoice): Promise<string | null> {
  if (change.was && !change.now) {
    await objects.settle(pause === 'delete' ? 'delete' : 'read-only');
    return null;
  }
  if (!change.now) return null;
  if (!change.was) await unfreeze(deps.store, tenantId, objects.kinds);
  return !change.was || change.first ? kickOff(deps, tenantId, change.first) : null;
}

export async function saveUserSync(
  deps: SyncDeps,
  tenantId: string,
  input: z.input<typeof userSyncSettings>,
  pause: PauseChoice,
): Promise<SavedSettings<UserSyncSettings>> {
  const next = userSyncSettings.parse(input);
  if (next.welcomeEmail && !deps.config.smtpUrl) {
    throw new AppError('smtp_not_configured', 'welcomeEmail needs an SMTP server.', {
      fields: [{ path: 'body.welcomeEmail', message: 'set SMTP_URL on the server first' }],
      hint: 'Set SMTP_URL (smtp://user:pass@host:587) and restart, or leave welcomeEmail off.',
    });
  }
  const { first, previous } = await replaceSettings(deps, tenantId, USER_SYNC, next);
  // Any rule change may change what every user maps to: the next run plans from a full round.
  if (!same(previous, next)) {
    await forgetSyncState(deps.store, tenantId, { users: true, groups: false });
  }
  const extensions = { settle: (fate: SyncedFate) => settleExtensions(deps.store, tenantId, fate), kinds: { extensions: true, groups: false } };
  return { settings: next, runId: await switchSync(deps, tenantId, { first, was: previous.enabled, now: next.enabled }, extensions, pause) };
}

export async function saveGroupSync(
  deps: SyncDeps,
  tenantId: string,
  input: z.input<typeof groupSyncSettings>,
  pause: PauseChoice,
): Promise<SavedSettings<GroupSyncSettings>> {
  const next = groupSyncSettings.parse(input);
  const { first, previous } = await replaceSettings(deps, tenantId, GROUP_SYNC, next);
  const groups = { settle: (fate: SyncedFate) => settleGroups(deps.store, tenantId, fate), kinds: { extensions: false, groups: true } };
  return { settings: next, runId: await switchSync(deps, tenantId, { first, was: previous.enabled, now: next.enabled }, groups, pause) };
}
