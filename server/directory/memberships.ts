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

/** Memberships the mirror implies (direct members that are synced users of synced groups), narrowed by `filter`. */
const implied = (tenantId: string, filter: RawBuilder<unknown>) => sql`
  select g.tenant_id, g.id as group_id, e.id as extension_id from extension_group g
  join entra_membership m on m.tenant_id = g.tenant_id and m.group_id = g.entra_object_id
  join extension e on e.tenant_id = m.tenant_id and e.entra_object_id = m.member_id
  where g.tenant_id = ${tenantId} ${filter}`;

/**
 * Brings synced groups' members in line with the mirror, for the memberships `filter` (on g, m, e)
 * picks; filters name indexed columns. Adds the ids of groups whose members changed to `changed`.
 */
async function refresh(db: Db, tenantId: string, filter: RawBuilder<unknown>, staleFilter: RawBuilder<unknown>, changed: Set<string>): Promise<void> {
  const removed = await sql<{ group_id: string }>`
    delete from extension_group_member
    where tenant_id = ${tenantId}
      and group_id in (select id from extension_group where tenant_id = ${tenantId} and entra_object_id is not null)
      ${staleFilter}
      and not exists (
        select 1 from extension_group g
        join entra_membership m on m.tenant_id = g.tenant_id and m.group_id = g.entra_object_id
        join extension e on e.tenant_id = m.tenant_id and e.entra_object_id = m.member_id
        where g.id = extension_group_member.group_id and e.id = extension_group_member.extension_id)
    returning group_id`.execute(db);
  const added = await sql<{ group_id: string }>`
    insert into extension_group_member (tenant_id, group_id, extension_id)
    select i.tenant_id, i.group_id, i.extension_id from (${implied(tenantId, filter)}) i
    where not exists (select 1 from extension_group_member x where x.group_id = i.group_id and x.extension_id = i.extension_id)
    returning group_id`.execute(db);
  for (const row of [...removed.rows, ...added.rows]) changed.add(row.group_id);
}

/** Returns the ids of the groups whose members changed. */
export async function refreshMemberships(db: Db, tenantId: string, scope?: MembershipScope): Promise<Set<string>> {
  const changed = new Set<string>();
  if (!scope) {
    await refresh(db, tenantId, sql``, sql``, changed);
    return changed;
  }
  for (let i = 0; i < scope.groups.length; i += 500) {
    const ids = list(scope.groups.slice(i, i + 500));
    await refresh(db, tenantId, sql`and m.group_id in (${ids})`, sql`and group_id in (select id from extension_group where tenant_id = ${tenantId} and entra_object_id in (${ids}))`, changed);
  }
  for (let i = 0; i < scope.users.length; i += 500) {
    const ids = list(scope.users.slice(i, i + 500));
    await refresh(db, tenantId, sql`and m.member_id in (${ids})`, sql`and extension_id in (select id from extension where tenant_id = ${tenantId} and entra_object_id in (${ids}))`, changed);
  }
  // Released extensions leave their synced groups.
  for (let i = 0; i < scope.extensions.length; i += 500) {
    const ids = list(scope.extensions.slice(i, i + 500));
    await refresh(db, tenantId, sql`and e.id in (${ids})`, sql`and extension_id in (${ids})`, changed);
  }
  return changed;
}
