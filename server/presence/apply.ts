import { nowIso, type Store } from '../store/index.js';
import type { Decision } from './decide.js';
import { presenceStateRepo, type PresenceStatePatch, type PresenceStateRow } from './state-repo.js';
import { setExtensionStatus } from './status.js';

/**
 * Writes the decisions of one batch: every presence_state change in one transaction, then each
 * status change through `setExtensionStatus` (status row + webhook outbox, then SSE). Returns how
 * many statuses changed.
 */
export async function applyDecisions(store: Store, tenantId: string, decisions: ReadonlyMap<string, Decision>): Promise<number> {
  const patches = [...decisions].filter(([, d]) => d.state !== undefined);
  if (patches.length > 0) {
    await store.db.transaction().execute(async (trx) => {
      const repo = presenceStateRepo(trx);
      for (const [extensionId, d] of patches) if (d.state) await repo.patch(tenantId, extensionId, d.state);
    });
  }
  let changed = 0;
  for (const [extensionId, d] of decisions) {
    if (!d.status) continue;
    await setExtensionStatus(store, tenantId, extensionId, d.status);
    changed++;
  }
  return changed;
}

/** The health error of one user, written only when it differs from the one on record. */
export function errorDecision(state: PresenceStateRow | undefined, message: string): Decision {
  if (state?.last_error === message) return {};
  const patch: PresenceStatePatch = { last_error: message, last_error_at: nowIso() };
  return { state: patch };
}
