import type { GraphClient } from '../graph/index.js';
import { isAppError } from '../errors.js';
import { nowIso, type Store } from '../store/index.js';
import { decideAndApply, errorDecision, type Decide } from './apply.js';
import { decideTeams } from './decide.js';
import { fetchPresences, type TeamsPresence } from './graph-calls.js';
import type { PresenceSyncSettings } from './settings.js';
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
    await decideAndApply(store, tenantId, new Map(targets.map((t) => [t.extensionId, (state) => errorDecision(state, 'teams', message)])));
    return { changes: 0, errors: targets.length, readFailed: true };
  }
  return { ...(await applyTeamsPresences(store, tenantId, settings, targets, presences)), readFailed: false };
}

/**
 * What Teams presences mean for their users: `decideTeams` per user, through `decideAndApply`
 * (which reads what it decides from now, after Graph answered). A target Graph gave no presence
 * for is an error on that user's health.
 */
async function applyTeamsPresences(
  store: Store,
  tenantId: string,
  settings: PresenceSyncSettings,
  targets: readonly PresenceTarget[],
  presences: readonly TeamsPresence[],
): Promise<BatchOutcome> {
  const byObjectId = new Map(presences.map((p) => [p.id.toLowerCase(), p]));
  const now = nowIso();
  const deciders = new Map<string, Decide>();
  let errors = 0;
  for (const target of targets) {
    const presence = byObjectId.get(target.objectId.toLowerCase());
    if (!presence) {
      errors++;
      deciders.set(target.extensionId, (state) => errorDecision(state, 'teams', 'Microsoft Graph returned no presence for this user (no Teams license, or not in this tenant).'));
      continue;
    }
    deciders.set(target.extensionId, (state, current) => decideTeams({ presence, mapping: target.mapping, state, current, settings, now }));
  }
  return { changes: await decideAndApply(store, tenantId, deciders), errors };
}
