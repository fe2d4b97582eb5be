import type { z } from 'zod';
import { AppError, isAppError } from '../errors.js';
import { integrationRepo } from '../store/index.js';
import { relockCallerIds } from './caller-id-lock.js';
import { notifySettingsSaved } from './hooks.js';
import { dropWaitingRuns, forgetSyncState, settleExtensions, settleGroups, unfreeze, type SyncedFate } from './cleanup.js';
import { startSync, stopRuns, type SyncDeps } from './runner.js';
import {
  GROUP_SYNC,
  groupSyncChanges,
  hasSettings,
  readSettings,
  USER_SYNC,
  userSyncChanges,
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

/** Starts (or queues behind the running one) the run a save implies; a missing connection or a held run does not fail the save. */
async function kickOff(deps: SyncDeps, tenantId: string, initial: boolean): Promise<string | null> {
  try {
    return await startSync(deps, tenantId, { trigger: initial ? 'initial' : 'manual', queue: true });
  } catch (error) {
    if (isAppError(error) && /^(integration_|sync_run_)/.test(error.code)) return null;
    throw error;
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Top-level fields whose values differ (nested objects compared whole: both sides are parsed, so keys are in schema order). */
function changedFields(a: object, b: object): string[] {
  const before = a as Record<string, unknown>;
  const after = b as Record<string, unknown>;
  return Object.keys({ ...before, ...after }).filter((key) => !same(before[key], after[key]));
}

/** A save's changes without the fields it leaves out (a typed caller may pass `undefined` for them). */
const given = (changes: object) => Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));

interface Save<T> {
  /** No settings were stored before: the defaults fill what the save leaves out. */
  first: boolean;
  previous: T;
  next: T;
  /** The top-level fields the save changes (`enabled` included). */
  changed: string[];
}

/**
 * Applies a save's changes to the stored settings, field by field: `{"enabled":false}` pauses and
 * keeps every rule. A paused sync's settings are read-only (SPEC §2): only resuming may change them.
 */
async function mergeSettings<S extends z.ZodType<{ enabled: boolean }>>(deps: SyncDeps, tenantId: string, kind: SettingsKind<S>, changes: object, label: string): Promise<Save<z.output<S>>> {
  const first = !(await hasSettings(deps.store, tenantId, kind));
  const previous = await readSettings(deps.store, tenantId, kind);
  const next = kind.schema.parse({ ...previous, ...given(changes) });
  const changed = changedFields(previous, next);
  if (!first && !previous.enabled && !next.enabled && changed.length > 0) {
    throw new AppError('settings_read_only', `${label} is paused, so its settings are read-only; ${changed.join(', ')} cannot change.`, {
      fields: changed.map((field) => ({ path: `body.${field}`, message: 'read-only while the sync is paused' })),
      hint: `Resume ${label.toLowerCase()} (enabled: true) to change its settings; changes may come with the resuming save.`,
    });
  }
  return { first, previous, next, changed };
}

/** Stores the merged settings and tells the modules that follow them. */
async function storeSettings<S extends z.ZodType>(deps: SyncDeps, tenantId: string, kind: SettingsKind<S>, next: z.output<S>): Promise<void> {
  await writeSettings(deps.store, tenantId, kind, next);
  // Schedules and change subscriptions follow the switch (jobs registers itself here).
  await notifySettingsSaved(deps.store, tenantId);
}

/** The sync's synced objects: how pausing settles them, and which ones resuming unfreezes. */
interface SyncedObjects {
  settle(fate: SyncedFate): Promise<number>;
  kinds: { extensions: boolean; groups: boolean };
  label: string;
}

/**
 * What a save means for the synced objects and runs: switching off settles them (pause choice),
 * switching on unfreezes them and starts a run, as does the very first save.
 */
async function switchSync(deps: SyncDeps, tenantId: string, change: { first: boolean; was: boolean; now: boolean }, objects: SyncedObjects, pause: PauseChoice): Promise<string | null> {
  if (change.was && !change.now) {
    // A run going or waiting in this process would go on applying what the paused sync planned,
    // over the settled objects: it ends first, with the reason. (One in another instance applies
    // its plan to the end; with the extensions deleted, its delta links no longer count, execute.ts.)
    const reason = `${objects.label} was paused.`;
    await stopRuns(deps.store, { tenantId, reason });
    await dropWaitingRuns(deps.store, tenantId, reason);
    await objects.settle(pause === 'delete' ? 'delete' : 'read-only');
    return null;
  }
  if (!change.now) return null;
  // A disabled integration keeps its objects read-only until it is enabled again (which unfreezes them).
  if (!change.was && (await integrationRepo(deps.store.db).get(tenantId))?.status !== 'disabled') await unfreeze(deps.store, tenantId, objects.kinds);
  return !change.was || change.first ? kickOff(deps, tenantId, change.first) : null;
}

export async function saveUserSync(
  deps: SyncDeps,
  tenantId: string,
  changes: z.input<typeof userSyncChanges>,
  pause: PauseChoice,
): Promise<SavedSettings<UserSyncSettings>> {
  const { first, previous, next, changed } = await mergeSettings(deps, tenantId, USER_SYNC, userSyncChanges.parse(changes), 'User sync');
  // Only a save that turns welcome emails or the sync on needs SMTP: pausing works even if SMTP_URL was removed since.
  if (next.welcomeEmail && !deps.config.smtpUrl && (next.enabled || !previous.welcomeEmail)) {
    throw new AppError('smtp_not_configured', 'welcomeEmail needs an SMTP server.', {
      fields: [{ path: 'body.welcomeEmail', message: 'set SMTP_URL on the server first' }],
      hint: 'Set SMTP_URL (smtp://user:pass@host:587) and restart, or leave welcomeEmail off.',
    });
  }
  await storeSettings(deps, tenantId, USER_SYNC, next);
  if (changed.includes('businessPhoneAsCallerId')) await relockCallerIds(deps.store, tenantId, next.businessPhoneAsCallerId);
  // Any rule change may change what every user maps to: the next run plans from a full round.
  // Pausing and resuming alone change no rule: the delta links still describe the synced extensions.
  if (changed.some((field) => field !== 'enabled')) {
    await forgetSyncState(deps.store, tenantId, { users: true, groups: false });
  }
  const extensions = {
    async settle(fate: SyncedFate) {
      const settled = await settleExtensions(deps.store, tenantId, fate);
      // The extensions are gone: resuming must create them again, from a full round rather than a delta.
      if (fate === 'delete') await forgetSyncState(deps.store, tenantId, { users: true, groups: false });
      return settled;
    },
    kinds: { extensions: true, groups: false },
    label: 'User sync',
  };
  return { settings: next, runId: await switchSync(deps, tenantId, { first, was: previous.enabled, now: next.enabled }, extensions, pause) };
}

export async function saveGroupSync(
  deps: SyncDeps,
  tenantId: string,
  changes: z.input<typeof groupSyncChanges>,
  pause: PauseChoice,
): Promise<SavedSettings<GroupSyncSettings>> {
  const { first, previous, next } = await mergeSettings(deps, tenantId, GROUP_SYNC, groupSyncChanges.parse(changes), 'Group sync');
  await storeSettings(deps, tenantId, GROUP_SYNC, next);
  const groups = { settle: (fate: SyncedFate) => settleGroups(deps.store, tenantId, fate), kinds: { extensions: false, groups: true }, label: 'Group sync' };
  return { settings: next, runId: await switchSync(deps, tenantId, { first, was: previous.enabled, now: next.enabled }, groups, pause) };
}
