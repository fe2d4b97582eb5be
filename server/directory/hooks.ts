import type { Store } from '../store/index.js';

/**
 * Callbacks for modules that build on directory. Directory cannot import them: jobs imports
 * directory, and sso imports presence, which imports jobs — a cycle at module load.
 */
type SettingsListener = (store: Store, tenantId: string) => Promise<unknown>;
type ExtensionListener = (store: Store, tenantId: string, extensionId: string) => Promise<unknown>;

/** How a sync run (directory or contacts) ended; `held`: stopped by the deletion guard. */
export interface RunOutcome {
  store: Store;
  tenantId: string;
  kind: string;
  status: 'succeeded' | 'failed' | 'held';
  counts: { created: number; updated: number; deleted: number; skipped: number; failed: number };
  seconds: number;
}
type RunListener = (run: RunOutcome) => void;

const settingsSaved = new Set<SettingsListener>();
const extensionsEnded = new Set<ExtensionListener>();
const runsEnded = new Set<RunListener>();

/** After a run's outcome is committed (metrics). */
export function onRunFinished(listener: RunListener): () => void {
  runsEnded.add(listener);
  return () => runsEnded.delete(listener);
}

export function notifyRunFinished(run: RunOutcome): void {
  for (const listener of runsEnded) listener(run);
}

/** After user-sync or group-sync settings are saved (jobs: refresh schedules and subscriptions). */
export function onSyncSettingsSaved(listener: SettingsListener): () => void {
  settingsSaved.add(listener);
  return () => settingsSaved.delete(listener);
}

/** After a sync deleted, disabled or released an extension, once committed (sso: end its sessions). */
export function onSyncedExtensionEnded(listener: ExtensionListener): () => void {
  extensionsEnded.add(listener);
  return () => extensionsEnded.delete(listener);
}

export async function notifySettingsSaved(store: Store, tenantId: string): Promise<void> {
  for (const listener of settingsSaved) await listener(store, tenantId);
}

export async function notifyExtensionsEnded(store: Store, tenantId: string, extensionIds: readonly string[]): Promise<void> {
  for (const id of extensionIds) for (const listener of extensionsEnded) await listener(store, tenantId, id);
}
