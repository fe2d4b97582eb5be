import { nowIso, type Store } from '../store/index.js';
import { statusBusFor } from './bus.js';
import type { Decision } from './decide.js';
import { presenceStateRepo, type PresenceStatePatch, type PresenceStateRow } from './state-repo.js';
import { changesNothing, extensionStatusRepo, putStatusIf, type ExtensionStatusView, type StatusChange } from './status.js';

/** One user's decision, made from their presence_state row and current status. */
export type Decide = (state: PresenceStateRow | undefined, current: ExtensionStatusView) => Decision;

/**
 * Rounds of reading and deciding again for users whose row or status changed between read and
 * write; one still racing after that is decided again at their next poll.
 */
const ROUNDS = 3;

/**
 * Decides for a batch of users and writes the decisions; returns how many statuses changed.
 * Rows and statuses are read here, after Graph answered (a call may wait out Retry-After), so a
 * PBX call state (loop guard), calendar takeover or Teams result stored meanwhile is seen. Each
 * decision is written only if the row and status it was made from are still there: a status set
 * meanwhile (by hand — a protected business_trip —, the calendar, a notified read) is never
 * overwritten unseen; that user is read and decided again instead.
 */
export async function decideAndApply(store: Store, tenantId: string, deciders: ReadonlyMap<string, Decide>): Promise<number> {
  let pending = [...deciders.keys()];
  let changed = 0;
  for (let round = 0; round < ROUNDS && pending.length > 0; round++) {
    const outcome = await applyRound(store, tenantId, deciders, pending);
    changed += outcome.changed;
    pending = outcome.raced;
  }
  return changed;
}

interface Decided {
  extensionId: string;
  decision: Decision;
  state: PresenceStateRow | undefined;
  current: ExtensionStatusView;
}

/** Reads, decides and writes once; `raced`: the users whose row or status changed since the read. */
async function applyRound(store: Store, tenantId: string, deciders: ReadonlyMap<string, Decide>, ids: string[]): Promise<{ changed: number; raced: string[] }> {
  const states = await presenceStateRepo(store.db).many(tenantId, ids);
  const statuses = await extensionStatusRepo(store.db).many(tenantId, ids);
  const rowOnly: Decided[] = [];
  const withStatus: Array<Decided & { status: StatusChange }> = [];
  for (const extensionId of ids) {
    const [decide, current] = [deciders.get(extensionId), statuses.get(extensionId)];
    if (!decide || !current) continue;
    const state = states.get(extensionId);
    const decision = decide(state, current);
    if (decision.status && !changesNothing(current, decision.status)) withStatus.push({ extensionId, decision, state, current, status: decision.status });
    else if (decision.state) rowOnly.push({ extensionId, decision, state, current });
  }
  const raced = await patchRows(store, tenantId, rowOnly);
  let changed = 0;
  for (const item of withStatus) {
    const view = await writeWithStatus(store, tenantId, item);
    if (!view) {
      raced.push(item.extensionId);
      continue;
    }
    statusBusFor(store).publish(tenantId, view);
    changed++;
  }
  return { changed, raced };
}

/** Row changes without a status change, in one transaction for the batch; returns the users whose row changed meanwhile. */
async function patchRows(store: Store, tenantId: string, items: Decided[]): Promise<string[]> {
  const raced: string[] = [];
  if (items.length === 0) return raced;
  await store.db.transaction().execute(async (trx) => {
    const repo = presenceStateRepo(trx);
    for (const { extensionId, decision, state } of items) {
      if (decision.state && !(await repo.patchIf(tenantId, extensionId, decision.state, state?.updated_at ?? null))) raced.push(extensionId);
    }
  });
  return raced;
}

/** Rolls back a user's transaction when their row or status changed since it was read (never leaves this module). */
class Raced extends Error {}

/** A status change and its row change together (status row, webhook event, presence_state); undefined when either changed meanwhile. */
async function writeWithStatus(store: Store, tenantId: string, item: Decided & { status: StatusChange }): Promise<ExtensionStatusView | undefined> {
  const { extensionId, decision, state, current, status } = item;
  try {
    return await store.db.transaction().execute(async (trx) => {
      if (decision.state && !(await presenceStateRepo(trx).patchIf(tenantId, extensionId, decision.state, state?.updated_at ?? null))) throw new Raced();
      const view = await putStatusIf(trx, tenantId, extensionId, status, current);
      if (!view) throw new Raced();
      return view;
    });
  } catch (error) {
    if (error instanceof Raced) return undefined;
    throw error;
  }
}

/** Where a health error comes from; each side clears only its own error (decide.ts). */
export type ErrorSide = 'teams' | 'calendar';

/** The health error of one user on one side, written only when it differs from the one on record. */
export function errorDecision(state: PresenceStateRow | undefined, side: ErrorSide, message: string): Decision {
  const at = nowIso();
  const [onRecord, patch]: [string | null | undefined, PresenceStatePatch] =
    side === 'calendar' ? [state?.calendar_error, { calendar_error: message, calendar_error_at: at }] : [state?.last_error, { last_error: message, last_error_at: at }];
  return onRecord === message ? {} : { state: patch };
}
