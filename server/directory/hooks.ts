import type { Store } from '../store/index.js';

/**
 * Callbacks for modules that build on directory. Directory cannot import them: jobs imports
 * directory, and sso imports presence, which imports jobs — a cycle at module load.
 */
type SettingsListener = (store: Store, tenantId: string) => Promise<unknown>;
type ExtensionListener = (store: Store, tenantId: string, extensionId: string) => Promise<unknown>;

const settingsSaved = new Set<SettingsListener>();
const extensionsEnded = new Set<ExtensionListener>();

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
