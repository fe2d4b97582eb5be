import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../store/index.js';
import { readPlanOps } from './plan-items.js';
import type { PlanState } from './runs.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What changed in a run, as far as group members go; `undefined` = recompute every synced group. */
export interface MembershipScope {
  /** Entra ids of groups that just became synced: all their members. */
  groups: string[];
  /** Entra ids of users whose group memberships changed, or that just became synced extensions. */
  users: string[];
  /** Extensions that stopped being synced (released). */
  extensions: string[];
}

/**
 * A delta run touches few memberships: only those are recomputed (O(changes)). Full rounds and
 * runs planned before this existed (`memberships: null`) recompute everything.
 */
export async function membershipScope(db: Db, runId: string, plan: PlanState): Promise<MembershipScope | undefined> {
  if (plan.memberships === null) return undefined;
  const scope: MembershipScope = { groups: [], users: [...plan.memberships], extensions: [] };
  for (const op of await readPlanOps(db, runId, ['create', 'link', 'release', 'group-create'])) {
    if (op.op === 'create' || op.op === 'link') scope.users.push(op.entraId);
    else if (op.op === 'release') scope.extensions.push(op.extensionId);
    else if (op.op === 'group-create') scope.groups.push(op.entraId);
  }
  return scope;
}

const list = (ids: string[]) => sql.join(ids.map((id) => sql`${id}`));

/** The tables of the membership join, in the order a narrowed refresh reads them. */
type JoinOrder = 'groups' | 'users';

/**
 * Memberships the mirror implies (direct members that are synced users of synced groups), narrowed
 * by `filter`. CROSS JOIN fixes SQLite's join order (PostgreSQL plans it as an inner join): start
 * from the side the filter names, so a page of 999 users costs 999 index probes, not a scan of
 * every membership.
 */
const implied = (tenantId: string, order: JoinOrder, filter: RawBuilder<unknown>) => {
  const tables = order === 'groups' ? sql`extension_group g cross join entra_membership m cross join extension e` : sql`extension e cross join entra_membership m cross join extension_group g`;
  return sql`
  select g.tenant_id, g.id as group_id, e.id as extension_id from ${tables}
  where g.tenant_id = ${tenantId} and m.tenant_id = g.tenant_id and m.group_id = g.entra_object_id
    and e.tenant_id = m.tenant_id and e.entra_object_id = m.member_id ${filter}`;
};

/**
 * Brings synced groups' members in line with the mirror, for the memberships `filter` (on g, m, e)
 * and `staleFilter` (on extension_group_member) pick. Adds the ids of groups whose members changed
 * to `changed` when there is one to tell (a first sync adds hundreds of thousands of rows: reading
 * a group id back for each would only be thrown away).
 */
async function refresh(db: Db, tenantId: string, order: JoinOrder, filter: RawBuilder<unknown>, staleFilter: RawBuilder<unknown>, changed: Set<string> | undefined): Promise<void> {
  const returning = changed ? sql`returning group_id` : sql``;
  // `exists` rather than `group_id in (…)`: an IN list on both key columns would probe every pair.
  const removed = await sql<{ group_id: string }>`
    delete from extension_group_member
    where tenant_id = ${tenantId}
      ${staleFilter}
      and exists (select 1 from extension_group s where s.id = extension_group_member.group_id and s.entra_object_id is not null)
      and not exists (
        select 1 from extension_group g
        join entra_membership m on m.tenant_id = g.tenant_id and m.group_id = g.entra_object_id
        join extension e on e.tenant_id = m.tenant_id and e.entra_object_id = m.member_id
        where g.id = extension_group_member.group_id and e.id = extension_group_member.extension_id)
    ${returning}`.execute(db);
  const added = await sql<{ group_id: string }>`
    insert into extension_group_member (tenant_id, group_id, extension_id)
    select i.tenant_id, i.group_id, i.extension_id from (${implied(tenantId, order, filter)}) i
    where not exists (select 1 from extension_group_member x where x.group_id = i.group_id and x.extension_id = i.extension_id)
    ${returning}`.execute(db);
  for (const row of [...removed.rows, ...added.rows]) changed?.add(row.group_id);
}

/** Returns the ids of the groups whose members changed (with `report`; otherwise none). */
export async function refreshMemberships(db: Db, tenantId: string, scope: MembershipScope | undefined, report: boolean): Promise<Set<string>> {
  const found = new Set<string>();
  const changed = report ? found : undefined;
  if (!scope) {
    await refresh(db, tenantId, 'groups', sql``, sql``, changed);
    return found;
  }
  for (let i = 0; i < scope.groups.length; i += 500) {
    const ids = list(scope.groups.slice(i, i + 500));
    await refresh(db, tenantId, 'groups', sql`and g.entra_object_id in (${ids})`, sql`and group_id in (select id from extension_group where tenant_id = ${tenantId} and entra_object_id in (${ids}))`, changed);
  }
  for (let i = 0; i < scope.users.length; i += 500) {
    const ids = list(scope.users.slice(i, i + 500));
    await refresh(db, tenantId, 'users', sql`and e.entra_object_id in (${ids})`, sql`and extension_id in (select id from extension where tenant_id = ${tenantId} and entra_object_id in (${ids}))`, changed);
  }
  // Released extensions leave their synced groups.
  for (let i = 0; i < scope.extensions.length; i += 500) {
    const ids = list(scope.extensions.slice(i, i + 500));
    await refresh(db, tenantId, 'users', sql`and e.id in (${ids})`, sql`and extension_id in (${ids})`, changed);
  }
  return found;
}
