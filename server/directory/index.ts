/**
 * server/directory — user sync (Entra users → extensions) and group sync (Entra groups →
 * extension groups), SPEC §2–3. A run is plan → guard → apply: see plan.ts, execute.ts, runner.ts.
 */
import './errors.js';

export {
  userSyncSettings,
  userSyncChanges,
  groupSyncSettings,
  groupSyncChanges,
  readSettings,
  USER_SYNC,
  GROUP_SYNC,
  type UserSyncSettings,
  type GroupSyncSettings,
  type SettingsKind,
} from './settings.js';
export { saveUserSync, saveGroupSync, type PauseChoice, type SavedSettings } from './configure.js';
export {
  startSync,
  confirmRun,
  cancelRun,
  waitForRun,
  stopRuns,
  type SyncDeps,
  type StartOptions,
} from './runner.js';
export type { RunHooks } from './execute.js';
export { onRunFinished, onSyncSettingsSaved, onSyncedExtensionEnded, type RunOutcome } from './hooks.js';
export { configureRunLiveness, keepAlive, runLiveness, staleBefore } from './liveness.js';
export { getRun, listRuns, runView, runTrigger, type RunView, type RunTrigger, type Problem } from './runs.js';
// Shared with other syncs that record runs in the same log (contacts).
export { createRun, saveRun, reportRunOutcome, addProblems, activeRun, claimRunSlot, emptyCounts, type Counts, type Progress } from './runs.js';
export { startQueuedRun } from './cleanup.js';
export {
  extensionView,
  extensionPatch,
  extensionCreate,
  listExtensions,
  getExtension,
  patchExtension,
  createExtension,
  type ExtensionView,
} from './extensions.js';
export { getAvatar, type AvatarView } from './avatars.js';
export { extensionGroupView, listExtensionGroups, pickGroups, pickerItem, type ExtensionGroupView } from './groups.js';
export { deleteExtension, deleteExtensionGroup } from './local-deletes.js';
export { settleExtensions, settleGroups, unfreeze, forgetSyncState, dropWaitingRuns, type SyncedFate } from './cleanup.js';
export { directoryService } from './service.js';
export { pruneRuns } from './retention.js';
export { entraUser, entraGroup, USER_SELECT, GROUP_SELECT, type EntraUser, type EntraGroup } from './entra.js';
