import type { Kysely } from 'kysely';
import { batchItemErrorInfo, type GraphClient } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { entraUser, USER_SELECT, type EntraUser } from './entra.js';
import type { UserPlanner } from './plan-users.js';
import { syncedNotSeen } from './synced.js';
import type { Problem } from './runs.js';

/** What Graph answered for users looked up by id. */
export interface UserLookup {
  found: EntraUser[];
  /** Not in the directory any more (deleted, soft or permanently). */
  gone: string[];
  /** Anything else (429/5xx after the client's retries, 403, an unreadable body): unknown this run. */
  failed: { id: string; status: number }[];
}

/**
 * GET /users/{id} for each id through `$batch` (20 a call, throttled items retried by the client).
 * Only 404 `Request_ResourceNotFound` means "no such user": GET /users/{id} does not return deleted
 * users, soft-deleted ones live under /directory/deletedItems
 * (https://learn.microsoft.com/graph/api/user-get, https://learn.microsoft.com/graph/api/directory-deleteditems-get).
 * The batch itself is 200 whenever it parses and every item carries its own status
 * (https://learn.microsoft.com/graph/json-batching; ../shared/reference/graph.md "$batch"), so a
 * throttled or failed item must be told apart from a missing user here, never read as one.
 */
export async function lookUpUsers(graph: GraphClient, ids: string[]): Promise<UserLookup> {
  const select = USER_SELECT.join(',');
  const answers = await graph.batch(ids.map((id, i) => ({ id: String(i), method: 'GET' as const, url: `/users/${encodeURIComponent(id)}?$select=${select}` })));
  const lookup: UserLookup = { found: [], gone: [], failed: [] };
  answers.forEach((answer, i) => {
    const id = ids[i] ?? '';
    const user = answer.status === 200 ? entraUser.safeParse(answer.body) : undefined;
    if (user?.success) lookup.found.push(user.data);
    else if (answer.status === 404 && batchItemErrorInfo(answer).code === 'Request_ResourceNotFound') lookup.gone.push(id);
    else lookup.failed.push({ id, status: answer.status });
  });
  return lookup;
}

/** Existence checks per round: 10 `$batch` calls of 20 in flight. */
const LOOKUP_CHUNK = 200;

export interface UnlistedRun {
  db: Kysely<Database>;
  graph: GraphClient;
  tenantId: string;
  outOfScope: 'delete' | 'release';
  /** Hands the sink's pending ops and these problems to the run (see plan.ts `tracker`). */
  record(items: number, problems: Problem[]): Promise<void>;
}

const removed = (id: string): EntraUser => entraUser.parse({ id, '@removed': { reason: 'deleted' } });

/**
 * Filter scope, end of a run: synced extensions whose user the filtered listing did not return.
 * A listing cannot tell "deleted" from "no longer matches", so each such user is looked up:
 * - gone from Entra → planned exactly like a users/delta `@removed` (deleteWhen.deleted: delete, else disable);
 * - still there → out of scope (outOfScope). That includes a disabled user the filter no longer
 *   matches: the filter, not deleteWhen.disabled, decided it left the listing;
 * - no clear answer → left untouched this run, with a problem; the next run (filter scopes list
 *   every run) checks again.
 */
export async function settleUnlisted(run: UnlistedRun, planner: UserPlanner): Promise<void> {
  for await (const rows of syncedNotSeen(run.db, run.tenantId, planner.seen)) {
    for (let i = 0; i < rows.length; i += LOOKUP_CHUNK) {
      const chunk = rows.slice(i, i + LOOKUP_CHUNK);
      const lookup = await lookUpUsers(run.graph, chunk.map((r) => r.entra_object_id ?? ''));
      const problems = await planner.planPage(lookup.gone.map(removed));
      const existing = new Set(lookup.found.map((u) => u.id));
      const failed = new Map(lookup.failed.map((f) => [f.id, f.status]));
      for (const row of chunk) {
        const entraId = row.entra_object_id ?? '';
        if (existing.has(entraId)) planner.remove(row, entraId, run.outOfScope);
        const status = failed.get(entraId);
        if (status !== undefined) {
          problems.push({
            objectId: entraId,
            name: row.display_name,
            reason: `not returned by the scope filter, and checking whether the user still exists failed (HTTP ${status}): extension left unchanged`,
            hint: 'Microsoft Graph was throttled or unavailable; the next sync checks again.',
          });
        }
      }
      await run.record(0, problems);
    }
  }
}

/**
 * Delta rounds: parked users the round did not list, once a number or a slot may be there for
 * them (parking.ts), are looked up and planned again. A user gone from Entra is unparked like a
 * listed `@removed` one; one Graph did not answer for stays parked for the next run.
 */
export async function retryParked(graph: GraphClient, planner: UserPlanner, record: UnlistedRun['record']): Promise<void> {
  const due = await planner.dueParked();
  for (let i = 0; i < due.length; i += LOOKUP_CHUNK) {
    const { found, gone } = await lookUpUsers(graph, due.slice(i, i + LOOKUP_CHUNK));
    await record(found.length, await planner.planPage([...found, ...gone.map(removed)]));
  }
}
