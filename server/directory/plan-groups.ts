import type { Kysely } from 'kysely';
import { insertIgnoringConflicts, type Database } from '../store/index.js';
import { memberKind, type EntraGroup } from './entra.js';
import type { PlanSink } from './plan-items.js';
import type { Problem } from './runs.js';
import type { GroupSyncSettings } from './settings.js';

type Db = Kysely<Database>;

/** A full groups round replaces the mirror: start from empty. */
export async function clearGroupMirror(db: Db, tenantId: string): Promise<void> {
  await db.deleteFrom('entra_membership').where('tenant_id', '=', tenantId).execute();
  await db.deleteFrom('entra_group').where('tenant_id', '=', tenantId).execute();
}

/** Applies one page of groups/delta to the mirror (idempotent: delta rounds may replay). */
export async function mirrorGroupPage(db: Db, tenantId: string, groups: EntraGroup[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const group of groups) {
      if (group['@removed']) {
        await trx.deleteFrom('entra_group').where('tenant_id', '=', tenantId).where('id', '=', group.id).execute();
        await trx
          .deleteFrom('entra_membership')
          .where('tenant_id', '=', tenantId)
          .where((eb) => eb.or([eb('group_id', '=', group.id), eb('member_id', '=', group.id)]))
          .execute();
        continue;
      }
      const values = {
        display_name: group.displayName ?? '',
        unified: (group.groupTypes ?? []).includes('Unified') ? (1 as const) : (0 as const),
        security: group.securityEnabled ? (1 as const) : (0 as const),
      };
      // A membership-only change may come without the other properties: keep what we have.
      const known = group.displayName !== undefined;
      await trx
        .insertInto('entra_group')
        .values({ tenant_id: tenantId, id: group.id, ...values })
        .onConflict((oc) => (known ? oc.columns(['tenant_id', 'id']).doUpdateSet(values) : oc.columns(['tenant_id', 'id']).doNothing()))
        .execute();
      const members = group['members@delta'] ?? [];
      const added = members.filter((m) => !m['@removed']).map((m) => ({ tenant_id: tenantId, group_id: group.id, member_id: m.id, member_kind: memberKind(m) }));
      const removed = members.filter((m) => m['@removed']).map((m) => m.id);
      await insertIgnoringConflicts(trx, 'entra_membership', added, 'member_id');
      for (let i = 0; i < removed.length; i += 500) {
        await trx
          .deleteFrom('entra_membership')
          .where('tenant_id', '=', tenantId)
          .where('group_id', '=', group.id)
          .where('member_id', 'in', removed.slice(i, i + 500))
          .execute();
      }
    }
  });
}

/** Users that are members of `groupIds`, directly or through nested groups (from the mirror). */
export async function transitiveUserIds(db: Db, tenantId: string, groupIds: string[]): Promise<Set<string>> {
  const users = new Set<string>();
  const visited = new Set<string>(groupIds);
  let frontier = [...groupIds];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += 500) {
      const rows = await db
        .selectFrom('entra_membership')
        .select(['member_id', 'member_kind'])
        .where('tenant_id', '=', tenantId)
        .where('group_id', 'in', frontier.slice(i, i + 500))
        .execute();
      for (const row of rows) {
        if (row.member_kind === 'user') users.add(row.member_id);
        else if (row.member_kind === 'group' && !visited.has(row.member_id)) {
          visited.add(row.member_id);
          next.push(row.member_id);
        }
      }
    }
    frontier = next;
  }
  return users;
}

/**
 * The group plan, computed from the mirror (a few hundred groups): in-scope groups up to
 * `maxGroups` (already synced ones keep their place), the rest skipped; synced groups that left
 * Entra are deleted, those that left the scope deleted or released.
 */
export async function planGroups(db: Db, tenantId: string, settings: GroupSyncSettings, sink: PlanSink): Promise<Problem[]> {
  const [mirror, synced] = await Promise.all([
    db.selectFrom('entra_group').selectAll().where('tenant_id', '=', tenantId).execute(),
    db
      .selectFrom('extension_group')
      .select(['id', 'name', 'entra_object_id'])
      .where('tenant_id', '=', tenantId)
      .where('entra_object_id', 'is not', null)
      .execute(),
  ]);
  const syncedByEntra = new Map(synced.map((g) => [g.entra_object_id ?? '', g]));
  const scope = settings.scope;
  const selected = scope.kind === 'groups' ? new Set(scope.groupIds) : undefined;
  const inScope = mirror.filter((g) => {
    if (scope.kind === 'all') return true;
    if (scope.kind === 'groups') return selected?.has(g.id) === true;
    return (scope.types.includes('microsoft365') && g.unified === 1) || (scope.types.includes('security') && g.security === 1 && g.unified === 0);
  });
  inScope.sort(
    (a, b) =>
      Number(syncedByEntra.has(b.id)) - Number(syncedByEntra.has(a.id)) ||
      a.display_name.localeCompare(b.display_name) ||
      a.id.localeCompare(b.id),
  );
  const problems: Problem[] = inScope.slice(settings.maxGroups).map((g) => ({
    objectId: g.id,
    name: g.display_name,
    reason: `the synced group limit (${settings.maxGroups}) is reached`,
    hint: 'Raise maxGroups or select fewer groups.',
  }));
  const wanted = inScope.slice(0, settings.maxGroups);
  const wantedIds = new Set(wanted.map((g) => g.id));
  for (const group of wanted) {
    const existing = syncedByEntra.get(group.id);
    if (!existing) sink.add({ op: 'group-create', entraId: group.id, name: group.display_name });
    else if (existing.name !== group.display_name) sink.add({ op: 'group-update', groupId: existing.id, name: group.display_name });
  }
  const inMirror = new Set(mirror.map((g) => g.id));
  for (const group of synced) {
    const entraId = group.entra_object_id ?? '';
    if (wantedIds.has(entraId)) continue;
    const release = inMirror.has(entraId) && settings.outOfScope === 'release';
    sink.add(release ? { op: 'group-release', groupId: group.id } : { op: 'group-delete', groupId: group.id });
  }
  return problems;
}
