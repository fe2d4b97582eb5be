import type { GraphClient } from '../graph/index.js';
import { isAppError } from '../errors.js';
import { nowIso, type Store } from '../store/index.js';
import { applyDecisions, errorDecision } from './apply.js';
import { decideTeams, type Decision } from './decide.js';
import { fetchPresences, type TeamsPresence } from './graph-calls.js';
import type { PresenceSyncSettings } from './settings.js';
import { presenceStateRepo } from './state-repo.js';
import { extensionStatusRepo } from './status.js';
import type { PresenceTarget } from './targets.js';

export interface BatchOutcome {
  changes: number;
  errors: number;
}

const errorText = (error: unknown) => (isAppError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error));

/**
 * One getPresencesByUserId call (≤ 650 users) and what follows from it. A failed call (after the
 * Graph client's own retries, Retry-After included) is recorded on each user's health and the
 * cycle goes on; the users are asked again next cycle (`readFailed` tells notified reads to retry).
 */
export async function pollTeamsBatch(
  store: Store,
  graph: GraphClient,
  tenantId: string,
  settings: PresenceSyncSettings,
  targets: readonly PresenceTarget[],
): Promise<BatchOutcome & { readFailed: boolean }> {
  let presences: TeamsPresence[];
  try {
    presences = await fetchPresences(graph, targets.map((t) => t.objectId));
  } catch (error) {
    const message = `presence poll failed: ${errorText(error)}`;
    const states = await presenceStateRepo(store.db).many(tenantId, targets.map((t) => t.extensionId));
    await applyDecisions(store, tenantId, new Map(targets.map((t) => [t.extensionId, errorDecision(states.get(t.extensionId), message)])));
    return { changes: 0, errors: targets.length, readFailed: true };
  }
  return { ...(await applyTeamsPresences(store, tenantId, settings, targets, presences)), readFailed: false };
}

/**
 * What Teams presences mean for their users: `decideTeams` per user, then `applyDecisions`. A
 * target Graph gave no presence for is an error on that user's health.
 */
async function applyTeamsPresences(
  store: Store,
  tenantId: string,
  settings: PresenceSyncSettings,
  targets: readonly PresenceTarget[],
  presences: readonly TeamsPresence[],
): Promise<BatchOutcome> {
  const ids = targets.map((t) => t.extensionId);
  // Read after Graph answered, not before the call: a PBX call state (loop guard) or calendar
  // takeover written while the call was in flight must be seen.
  const known = await presenceStateRepo(store.db).many(tenantId, ids);
  const byObjectId = new Map(presences.map((p) => [p.id.toLowerCase(), p]));
  const statuses = await extensionStatusRepo(store.db).many(tenantId, ids);
  const now = nowIso();
  const decisions = new Map<string, Decision>();
  let errors = 0;
  for (const target of targets) {
    const state = known.get(target.extensionId);
    const presence = byObjectId.get(target.objectId.toLowerCase());
    if (!presence) {
      errors++;
      decisions.set(target.extensionId, errorDecision(state, 'Microsoft Graph returned no presence for this user (no Teams license, or not in this tenant).'));
      continue;
    }
    const current = statuses.get(target.extensionId);
    if (!current) continue;
    decisions.set(target.extensionId, decideTeams({ presence, mapping: target.mapping, state, current, settings, now }));
  }
  return { changes: await applyDecisions(store, tenantId, decisions), errors };
}
