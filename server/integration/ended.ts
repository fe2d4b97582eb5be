import type { Store } from '../store/index.js';

/**
 * Callbacks for when a tenant's integration is disabled or disconnected. Modules that build on
 * integration register here, as integration cannot import them (sso imports integration).
 */
export type IntegrationEnd = 'disabled' | 'disconnected';
type IntegrationEndedListener = (store: Store, tenantId: string, end: IntegrationEnd) => Promise<unknown>;

const listeners = new Set<IntegrationEndedListener>();

/** After the integration was disabled or disconnected (sso: revoke every session of the tenant). */
export function onIntegrationEnded(listener: IntegrationEndedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function notifyIntegrationEnded(store: Store, tenantId: string, end: IntegrationEnd): Promise<void> {
  for (const listener of listeners) await listener(store, tenantId, end);
}
