import { isAppError } from '../errors.js';
import { settingsRepo } from '../store/index.js';
import { startContactSync, type ContactSyncDeps } from './runner.js';
import { CONTACT_SYNC_KIND, saveContactSyncSettings, type ContactSyncSettings } from './settings.js';

/** Reasons a save does not start a run; the settings are saved all the same. */
const NOT_NOW = new Set(['contact_sync_not_enabled', 'integration_not_connected', 'integration_disabled']);

/**
 * Saves contact-sync settings and starts a run so they take effect (the first save is the initial
 * sync). During a run, the new one is queued behind it (a run reads the settings when it starts).
 * Returns the run id when one started or was queued.
 */
export async function saveContactSync(
  deps: ContactSyncDeps,
  tenantId: string,
  value: ContactSyncSettings,
): Promise<{ settings: ContactSyncSettings; runId: string | undefined }> {
  const first = (await settingsRepo(deps.store.db).get(tenantId, CONTACT_SYNC_KIND)) === undefined;
  const settings = await saveContactSyncSettings(deps.store, tenantId, value);
  try {
    const runId = await startContactSync(deps, tenantId, { trigger: first ? 'initial' : 'manual', queue: true });
    return { settings, runId };
  } catch (error) {
    if (isAppError(error) && NOT_NOW.has(error.code)) return { settings, runId: undefined };
    throw error;
  }
}
