import type { Kysely } from 'kysely';
import { isAppError } from '../errors.js';
import type { DeltaPage, GraphClient, PageOptions } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { entraGroup, entraUser, GROUP_SELECT, USER_SELECT, type EntraUser } from './entra.js';
import { clearGroupMirror, mirrorGroupPage, planGroups, transitiveUserIds } from './plan-groups.js';
import type { PlanSink } from './plan-items.js';
import { lookUpUsers, retryParked, settleUnlisted } from './plan-unlisted.js';
import { createUserPlanner, type UserPlanner } from './plan-users.js';
import { syncedNotSeen } from './synced.js';
import { type PlanState, type Progress, type Problem } from './runs.js';
import type { GroupSyncSettings, UserSyncSettings } from './settings.js';

export const USERS_DELTA = 'directory:users';
export const GROUPS_DELTA = 'directory:groups';

export interface PlanInput {
  db: Kysely<Database>;
  graph: GraphClient;
  tenantId: string;
  runId: string;
  users: UserSyncSettings;
  groups: GroupSyncSettings;
  /** Ignore stored delta links. */
  full: boolean;
  /** Checked between pages: a stopping server leaves the run to be resumed. */
  shouldStop: () => boolean;
  /** Objects per Graph page (999, Graph's maximum, unless a test wants many pages). */
  pageSize?: number | undefined;
  /** The persisted plan, or a DirectApplier (direct-apply.ts) for a directory's first population. */
  sink: PlanSink;
}

export class StopRequested extends Error {}


async function deltaLinkOf(db: Kysely<Database>, tenantId: string, resource: string): Promise<string | undefined> {
  const row = await db.selectFrom('delta_state').select('delta_link').where('tenant_id', '=', tenantId).where('resource', '=', resource).executeTakeFirst();
  // Empty: forgotten (rules changed), so the next round is a full one.
  return row?.delta_link || undefined;
}

export async function dropDeltaLink(db: Kysely<Database>, tenantId: string, resource: string): Promise<void> {
  await db.deleteFrom('delta_state').where('tenant_id', '=', tenantId).where('resource', '=', resource).execute();
}

/** Runs one delta round (or a full one when there is no usable link); an expired link restarts it full. */
/** Delta has no $top; `Prefer: odata.maxpagesize` asks for bigger pages (fewer round trips). */
const pageHeaders = (input: PlanInput) => ({ Prefer: `odata.maxpagesize=${input.pageSize ?? 999}` });

async function deltaRound<T>(
  input: PlanInput,
  resource: string,
  start: string,
  options: PageOptions<T>,
  round: (pages: AsyncGenerator<DeltaPage<T>>, full: boolean) => Promise<string | undefined>,
): Promise<string | undefined> {
  const link = input.full ? undefined : await deltaLinkOf(input.db, input.tenantId, resource);
  try {
    return await round(input.graph.delta(link ?? start, options), !link);
  } catch (error) {
    if (!link || !isAppError(error) || error.code !== 'graph_delta_expired') throw error;
    // Expired token: forget it and plan from a full round — never read it as "everything was deleted".
    await dropDeltaLink(input.db, input.tenantId, resource);
    return round(input.graph.delta(start, options), true);
  }
}

/** More membership changes than this in one delta round: recompute all members instead of keeping a long id list. */
const MAX_TOUCHED_MEMBERS = 20_000;

/**
 * Groups delta → the local mirror of groups and memberships. `touched`: the members a delta round
 * added to or removed from some group (null after a full round: everything may have changed).
 */
async function syncGroupMirror(input: PlanInput): Promise<{ deltaLink: string | undefined; touched: string[] | null }> {
  const state: { touched: Set<string> | null } = { touched: new Set<string>() };
  const deltaLink = await deltaRound(input, GROUPS_DELTA, '/groups/delta', { item: entraGroup, select: GROUP_SELECT, headers: pageHeaders(input) }, async (pages, full) => {
    if (full) {
      state.touched = null;
      await dropDeltaLink(input.db, input.tenantId, GROUPS_DELTA);
      await clearGroupMirror(input.db, input.tenantId);
    }
    let link: string | undefined;
    for await (const page of pages) {
      await mirrorGroupPage(input.db, input.tenantId, page.items);
      for (const ref of page.items.flatMap((g) => g['members@delta'] ?? [])) state.touched?.add(ref.id);
      if (state.touched && state.touched.size > MAX_TOUCHED_MEMBERS) state.touched = null;
      link = page.deltaLink ?? link;
      if (input.shouldStop()) throw new StopRequested();
    }
    return link;
  });
  return { deltaLink, touched: state.touched ? [...state.touched] : null };
}

interface Tracker {
  progress: Progress;
  sink: PlanSink;
  skipped: number;
  /** `last`: the run's final record. */
  record(items: number, problems: Problem[], last?: boolean): Promise<void>;
}

/** Hands each planned page to the sink with its problems; a stop request is honoured between pages. */
function tracker(input: PlanInput): Tracker {
  const sink = input.sink;
  const t: Tracker = {
    progress: { seen: 0, planned: 0, applied: 0 },
    sink,
    skipped: 0,
    async record(items, problems, last = false) {
      t.progress.seen += items;
      t.skipped += problems.filter((p) => !p.partial).length;
      const stop = input.shouldStop();
      // Stopping: what is planned is written first (whole pages), so the run stops consistent.
      await sink.record(t.progress, problems, last || stop);
      if (stop) throw new StopRequested();
    },
  };
  return t;
}

async function planUsers(input: PlanInput, t: Tracker, scopeUsers: Set<string> | undefined): Promise<{ deltaLink?: string; mode: 'full' | 'delta' }> {
  const settings = input.users;
  const scope = settings.scope;
  const inScope = (u: EntraUser) =>
    scope.kind === 'userType' ? scope.userTypes.includes(u.userType === 'Guest' ? 'Guest' : 'Member') : scopeUsers ? scopeUsers.has(u.id) : true;
  const planner: UserPlanner = await createUserPlanner({ db: input.db, tenantId: input.tenantId, settings, sink: t.sink, inScope, linkedBefore: !t.sink.appliesDirectly });

  if (scope.kind === 'filter') {
    // Arbitrary OData cannot be evaluated locally: a filtered listing every run (advanced-query headers included).
    const headers = { ConsistencyLevel: 'eventual' };
    const query = { $filter: scope.filter, $count: 'true', $top: input.pageSize ?? 999 };
    for await (const users of input.graph.pages('/users', { item: entraUser, select: USER_SELECT, query, headers })) {
      await t.record(users.length, await planner.planPage(users));
    }
    // Not listed: deleted in Entra (deleteWhen) or out of scope (outOfScope), told apart by a lookup.
    const unlisted = { db: input.db, graph: input.graph, tenantId: input.tenantId, outOfScope: settings.outOfScope };
    await settleUnlisted({ ...unlisted, record: (items, problems) => t.record(items, problems) }, planner);
    planner.unparkUnlisted();
    return { mode: 'full' };
  }
  const round = { mode: 'delta' as 'full' | 'delta' };
  const deltaLink = await deltaRound(input, USERS_DELTA, '/users/delta', { item: entraUser, select: USER_SELECT, headers: pageHeaders(input) }, async (pages, full) => {
    if (full) round.mode = 'full';
    let link: string | undefined;
    for await (const page of pages) {
      await t.record(page.items.length, await planner.planPage(page.items));
      link = page.deltaLink ?? link;
    }
    return link;
  });
  if (round.mode === 'full') {
    // A first population has no synced extension from before this run that could be missing.
    if (!t.sink.appliesDirectly) await sweep(input, t, planner, settings.deleteWhen.deleted ? 'delete' : 'disable');
    planner.unparkUnlisted();
  } else {
    if (scopeUsers) await reconcileGroupScope(input, t, planner, scopeUsers);
    await retryParked(input.graph, planner, (items, problems) => t.record(items, problems));
  }
  return deltaLink ? { deltaLink, mode: round.mode } : { mode: round.mode };
}

/** End of a full round: synced extensions whose user was not listed. */
async function sweep(input: PlanInput, t: Tracker, planner: UserPlanner, mode: 'delete' | 'disable') {
  for await (const rows of syncedNotSeen(input.db, input.tenantId, planner.seen)) {
    for (const row of rows) planner.remove(row, row.entra_object_id ?? '', mode);
    await t.record(0, []);
  }
}

/** Delta runs scoped to groups: membership may change without the user changing. */
async function reconcileGroupScope(input: PlanInput, t: Tracker, planner: UserPlanner, scopeUsers: Set<string>) {
  const synced = new Set<string>();
  for await (const rows of syncedNotSeen(input.db, input.tenantId, planner.seen)) {
    for (const row of rows) {
      const entraId = row.entra_object_id ?? '';
      synced.add(entraId);
      if (!scopeUsers.has(entraId)) planner.remove(row, entraId, input.users.outOfScope);
    }
  }
  await t.record(0, []);
  const missing = [...scopeUsers].filter((id) => !synced.has(id) && !planner.seen.has(id));
  for (let i = 0; i < missing.length; i += 200) {
    const { found, failed } = await lookUpUsers(input.graph, missing.slice(i, i + 200));
    // Users that are gone need nothing; one Graph would not answer for is retried by the next run (still missing then).
    const unanswered = failed.map(({ id, status }) => ({ objectId: id, name: id, reason: `member of a scoped group, but reading the user failed (HTTP ${status}): no extension yet`, hint: 'Microsoft Graph was throttled or unavailable; the next sync tries again.' }));
    await t.record(found.length, [...(await planner.planPage(found)), ...unanswered]);
  }
}

/**
 * The plan phase: mirrors groups while it plans users (user scopes other than groups do not need
 * the mirror; the two streams overlap), then plans groups, into the sink.
 */
export async function buildPlan(input: PlanInput): Promise<{ plan: PlanState; progress: Progress; skipped: number }> {
  const sink = input.sink;
  const t = tracker(input);
  const deltaLinks: Record<string, string> = {};
  const scope = input.users.scope;
  const needGroups = input.groups.enabled || (input.users.enabled && scope.kind === 'groups');
  const mirroring = needGroups ? syncGroupMirror(input) : undefined;
  // Awaited below; if planning users fails first, its failure must not go unhandled.
  mirroring?.catch(() => undefined);
  let mode: 'full' | 'delta' = 'full';
  let usersDeltaLink: string | undefined;
  // A full users round, or a first population (its ops are not kept for a narrower refresh): every membership.
  let memberships: string[] | null;
  try {
    if (input.users.enabled) {
      let scopeUsers: Set<string> | undefined;
      if (scope.kind === 'groups') {
        // Scoped by groups: the members come from the mirror, so it must be complete first.
        await mirroring;
        scopeUsers = await transitiveUserIds(input.db, input.tenantId, scope.groupIds);
      }
      const users = await planUsers(input, t, scopeUsers);
      mode = users.mode;
      usersDeltaLink = users.deltaLink;
    }
    const mirror = await mirroring;
    if (mirror?.deltaLink) deltaLinks[GROUPS_DELTA] = mirror.deltaLink;
    if (usersDeltaLink) deltaLinks[USERS_DELTA] = usersDeltaLink;
    if (input.groups.enabled) await t.record(0, await planGroups(input.db, input.tenantId, input.groups, sink));
    await t.record(0, [], true);
    // A full groups round (or one with too many changes to list) leaves `touched` null: every membership.
    memberships = (input.users.enabled && mode === 'full') || sink.appliesDirectly ? null : mirror ? mirror.touched : [];
  } catch (error) {
    await Promise.all([mirroring?.catch(() => undefined), sink.idle()]);
    throw error;
  }
  const plan: PlanState = { phase: 'planned', mode, entraTenantId: input.graph.tenantId, total: sink.total, deletes: sink.deletes, guardLimit: null, confirmed: false, memberships, deltaLinks, direct: sink.appliesDirectly, full: input.full };
  return { plan, progress: t.progress, skipped: t.skipped };
}
