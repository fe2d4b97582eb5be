import { setExtensionStatus, type ExtensionStatus, type ExtensionStatusView } from '../presence/index.js';
import { auditRepo, type Store } from '../store/index.js';
import type { SessionPrincipal } from './sessions.js';

/**
 * A signed-in user sets their own extension status by hand (the client API's status picker).
 * It is written with source `user`, so presence sync treats it as a manual status (protected
 * statuses stay until the user changes them), pushed to every status stream, and audited.
 */
export async function setOwnStatus(store: Store, principal: SessionPrincipal, status: ExtensionStatus, ip: string): Promise<ExtensionStatusView> {
  const { tenantId, extensionId } = principal;
  const view = await setExtensionStatus(store, tenantId, extensionId, { status, source: 'user' });
  await auditRepo(store.db).record({
    tenantId,
    actor: `user:${extensionId}`,
    action: 'user.status_set',
    target: JSON.stringify({ extensionId }),
    details: { status, sessionId: principal.sessionId },
    ip,
  });
  return view;
}
