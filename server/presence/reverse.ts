import { z } from 'zod';
import type { Config } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { graphForTenant } from '../graph/index.js';
import { nowIso, type Store } from '../store/index.js';
import './errors.js';
import { requireSyncedExtension } from './extensions.js';
import { CALL_PRESENCE, clearTeamsPresence, setTeamsPresence } from './graph-calls.js';
import { getPresenceSyncSettings } from './settings.js';
import { presenceStateRepo } from './state-repo.js';

export const callState = z.enum(['idle', 'ringing', 'busy']);
export type CallState = z.infer<typeof callState>;

export const callStateView = z.object({
  extensionId: z.string(),
  state: callState,
  /** What we asked Teams to show (null once cleared). */
  teamsPresence: z.object({ availability: z.string(), activity: z.string() }).nullable(),
  expiresAt: z.string().nullable(),
});
export type CallStateView = z.infer<typeof callStateView>;

/**
 * The reverse direction (SPEC §5): the PBX reports an extension's call state and the user's Teams
 * presence follows — ringing and busy set `Busy`/`InACall` through `setPresence` with our client
 * id as session id and the configured expiry, idle clears our session. The call state is stored
 * first, so the poller recognises our own write when it reads it back and does not turn it into
 * an extension status (no loop); it is forgotten only after Teams accepted the clear.
 */
export async function setCallState(
  deps: { store: Store; config: Pick<Config, 'graphCaFile'> },
  tenantId: string,
  extensionId: string,
  state: CallState,
): Promise<CallStateView> {
  const settings = await getPresenceSyncSettings(deps.store, tenantId);
  if (!settings.enabled || !settings.reverse) {
    throw new AppError('presence_reverse_disabled', 'Setting Teams presence from the PBX is turned off.', {
      hint: 'Turn it on with PUT /api/v1/settings/presence-sync {"enabled":true,"reverse":true} (needs Presence.ReadWrite.All).',
    });
  }
  const extension = await requireSyncedExtension(deps.store, tenantId, extensionId);
  const graph = await graphForTenant(deps, tenantId);
  const states = presenceStateRepo(deps.store.db);
  try {
    if (state === 'idle') {
      // No session of ours left (expired, or never set) is what idle wants anyway.
      await clearTeamsPresence(graph, extension.objectId).catch((error: unknown) => {
        if (!isAppError(error) || error.code !== 'graph_not_found') throw error;
      });
      await states.patch(tenantId, extensionId, { call_state: null, call_state_until: null });
      return { extensionId, state, teamsPresence: null, expiresAt: null };
    }
    const expiresAt = new Date(Date.now() + settings.reverseExpiryMinutes * 60_000).toISOString();
    await states.patch(tenantId, extensionId, { call_state: state, call_state_until: expiresAt });
    await setTeamsPresence(graph, extension.objectId, settings.reverseExpiryMinutes);
    return { extensionId, state, teamsPresence: { ...CALL_PRESENCE }, expiresAt };
  } catch (error) {
    const message = `setting Teams presence failed: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error)}`;
    await states.patch(tenantId, extensionId, { last_error: message, last_error_at: nowIso() });
    throw error;
  }
}
