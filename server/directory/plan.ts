import type { Kysely } from 'kysely';
import { isAppError } from '../errors.js';
import type { DeltaPage, GraphClient, PageOptions } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { entraGroup, entraUser, GROUP_SELECT, USER_SELECT, type EntraUser } from './entra.js';
import { clearGroupMirror, mirrorGroupPage, planGroups, transitiveUserIds } from './plan-groups.js';
import { PlanWriter } from './plan-items.js';
import { createUserPlanner, syncedNotSeen, type UserPlanner } from './plan-users.js';
import { addProblems, saveRun, type PlanState, type Progress, type Problem } from './runs.js';
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
}

export class StopRequested extends Error {}


async function deltaLinkOf(db: Kysely<Database>, tenantId: string, resource: string): Promise<string | undefined> {
  const row = await db.selectFrom('delta_state').select('delta_link').where('tenant_id', '=', tenantId).where('resource', '=', resource).executeTakeFirst();
  return row?.delta_link;
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
  writer: PlanWriter;
  skipped: number;
  record(items: number, problems: Problem[]): Promise<void>;
}

function tracker(input: PlanInput, writer: PlanWriter): Tracker {
  const t: Tracker = {
    progress: { seen: 0, planned: 0, applied: 0 },
    writer,
    skipped: 0,
    async record(items, problems) {
      t.progress.seen += items;
      t.skipped += problems.length;
      await input.db.transaction().execute(async (trx) => {
        await writer.flush(trx);
        t.progress.planned = writer.total;
        if (problems.length > 0) await addProblems(trx, input.tenantId, input.runId, problems);
        await saveRun(trx, input.runId, { progress: t.progress });
      });
      if (input.shouldStop()) throw new StopRequested();
    },
  };
  return t;
}

/** Users in scope that this run has not heard of yet (group-scoped delta runs): fetched by id through $batch. */
async function fetchUsers(graph: GraphClient, ids: string[]): Promise<EntraUser[]> {
  const select = USER_SELECT.join(',');
  const answers = await graph.batch(ids.map((id, i) => ({ id: String(i), method: 'GET' as const, url: `/users/${id}?$select=${select}` })));
  return answers.flatMap((a) => {
    const parsed = a.status === 200 ? entraUser.safeParse(a.body) : undefined;
    return parsed?.success ? [parsed.data] : [];
  });
}

async function planUsers(input: PlanInput, t: Tracker, scopeUsers: Set<string> | undefined): Promise<{ deltaLink?: string; mode: 'full' | 'delta' }> {
  const settings = input.users;
  const scope = settings.scope;
  const inScope = (u: EntraUser) =>
    scope.kind === 'userType' ? scope.userTypes.includes(u.userType === 'Guest' ? 'Guest' : 'Member') : scopeUsers ? scopeUsers.has(u.id) : true;
  const planner: UserPlanner = await createUserPlanner({ db: input.db, tenantId: input.tenantId, settings, writer: t.writer, inScope });

  if (scope.kind === 'filter') {
    // Arbitrary OData cannot be evaluated locally: a filtered listing every run (advanced-query headers included).
    const headers = { ConsistencyLevel: 'eventual' };
    const query = { $filter: scope.filter, $count: 'true', $top: input.pageSize ?? 999 };
    for await (const users of input.graph.pages('/users', { item: entraUser, select: USER_SELECT, query, headers })) {
      await t.record(users.length, await planner.planPage(users));
    }
    await sweep(input, t, planner, settings.outOfScope);
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
  if (round.mode === 'full') await sweep(input, t, planner, settings.deleteWhen.deleted ? 'delete' : 'disable');
  else if (scopeUsers) await reconcileGroupScope(input, t, planner, scopeUsers);
  return deltaLink ? { deltaLink, mode: round.mode } : { mode: round.mode };
}

/** End of a full round: synced extensions whose user was not listed. */
async function sweep(input: PlanInput, t: Tracker, planner: UserPlanner, mode: 'delete' | 'release' | 'disable') {
  for await (const rows of syncedNotSeen(input.db, input.tenantId, planner.seen)) {
    for (const row of rows) {
      const entraId = row.entra_object_id ?? '';
      if (mode === 'delete') t.writer.add({ op: 'delete', extensionId: row.id, entraId, name: row.display_name });
      else if (mode === 'release') t.writer.add({ op: 'release', extensionId: row.id });
      else if (row.enabled !== 0) t.writer.add({ op: 'update', extensionId: row.id, entraId, changes: { enabled: 0 } });
    }
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
      if (scopeUsers.has(entraId)) continue;
      if (input.users.outOfScope === 'delete') t.writer.add({ op: 'delete', extensionId: row.id, entraId, name: row.display_name });
      else t.writer.add({ op: 'release', extensionId: row.id });
    }
  }
  await t.record(0, []);
  const missing = [...scopeUsers].filter((id) => !synced.has(id) && !planner.seen.has(id));
  for (let i = 0; i < missing.length; i += 200) {
    const users = await fetchUsers(input.graph, missing.slice(i, i + 200));
    await t.record(users.length, await planner.planPage(users));
  }
}

/** The plan phase: mirrors groups, plans users and groups into the run's persisted plan. */
export async function buildPlan(input: PlanInput): Promise<{ plan: PlanState; progress: Progress; skipped: number }> {
  const writer = new PlanWriter(input.db, input.tenantId, input.runId);
  const t = tracker(input, writer);
  const deltaLinks: Record<string, string> = {};
  const scope = input.users.scope;
  const needGroups = input.groups.enabled || (input.users.enabled && scope.kind === 'groups');
  let memberships: string[] | null = [];
  if (needGroups) {
    const mirror = await syncGroupMirror(input);
    if (mirror.deltaLink) deltaLinks[GROUPS_DELTA] = mirror.deltaLink;
    memberships = mirror.touched;
  }
  let mode: 'full' | 'delta' = 'full';
  if (input.users.enabled) {
    const scopeUsers = scope.kind === 'groups' ? await transitiveUserIds(input.db, input.tenantId, scope.groupIds) : undefined;
    const users = await planUsers(input, t, scopeUsers);
    mode = users.mode;
    if (mode === 'full') memberships = null;
    if (users.deltaLink) deltaLinks[USERS_DELTA] = users.deltaLink;
  }
  if (input.groups.enabled) await t.record(0, await planGroups(input.db, input.tenantId, input.groups, writer));
  const plan: PlanState = { phase: 'planned', mode, entraTenantId: input.graph.tenantId, total: writer.total, deletes: writer.deletes, guardLimit: null, confirmed: false, memberships, deltaLinks };
  return { plan, progress: t.progress, skipped: t.skipped };
}
