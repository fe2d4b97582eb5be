import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { graphForTenant } from '../graph/index.js';
import { fromFlag, type Database, type ExtensionGroupTable, type Store } from '../store/index.js';
import type { SyncDeps } from './runner.js';

export const extensionGroupView = z.object({
  id: z.string(),
  name: z.string(),
  source: z.enum(['entra', 'local']),
  entraObjectId: z.string().nullable(),
  readOnly: z.boolean(),
  memberIds: z.array(z.string()),
});
export type ExtensionGroupView = z.infer<typeof extensionGroupView>;

type GroupRow = Selectable<ExtensionGroupTable>;

async function withMembers(db: Kysely<Database>, groups: GroupRow[]): Promise<ExtensionGroupView[]> {
  const members =
    groups.length === 0
      ? []
      : await db.selectFrom('extension_group_member').select(['group_id', 'extension_id']).where('group_id', 'in', groups.map((g) => g.id)).execute();
  return groups.map(
    (g): ExtensionGroupView => ({
      id: g.id,
      name: g.name,
      source: g.source === 'entra' ? 'entra' : 'local',
      entraObjectId: g.entra_object_id,
      readOnly: fromFlag(g.read_only),
      memberIds: members.filter((m) => m.group_id === g.id).map((m) => m.extension_id).sort(),
    }),
  );
}

export async function listExtensionGroups(store: Store, tenantId: string, options: { limit: number; after?: [string, string] | undefined }) {
  let query = store.db.selectFrom('extension_group').selectAll().where('tenant_id', '=', tenantId).orderBy('name').orderBy('id').limit(options.limit);
  const after = options.after;
  if (after) query = query.where((eb) => eb.or([eb('name', '>', after[0]), eb.and([eb('name', '=', after[0]), eb('id', '>', after[1])])]));
  return withMembers(store.db, await query.execute());
}

/** The API views of these groups (webhook payloads); ids that no longer exist are left out. */
export async function groupViews(db: Kysely<Database>, tenantId: string, ids: string[]): Promise<ExtensionGroupView[]> {
  if (ids.length === 0) return [];
  return withMembers(db, await db.selectFrom('extension_group').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids).execute());
}

const pickerGroup = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  groupTypes: z.array(z.string()).nullish(),
  securityEnabled: z.boolean().nullish(),
  mail: z.string().nullish(),
});
const pickerPage = z.object({ value: z.array(pickerGroup), '@odata.nextLink': z.string().optional() });

export const pickerItem = z.object({
  id: z.string(),
  displayName: z.string(),
  kind: z.enum(['microsoft365', 'security', 'other']),
  mail: z.string().nullable(),
});

/** The admin page's group picker: one page of Entra groups (optionally by name prefix); the cursor is Graph's nextLink. */
export async function pickGroups(deps: SyncDeps, tenantId: string, options: { search?: string | undefined; limit: number; cursor?: string | undefined }) {
  const graph = await graphForTenant(deps, tenantId);
  const search = options.search?.trim().replace(/'/g, "''");
  const page = options.cursor
    ? await graph.request(options.cursor, { schema: pickerPage })
    : await graph.request('/groups', {
        schema: pickerPage,
        select: ['id', 'displayName', 'groupTypes', 'securityEnabled', 'mail'],
        query: { $top: options.limit, ...(search ? { $filter: `startswith(displayName,'${search}')` } : {}) },
      });
  return {
    items: page.value.map((g) => ({
      id: g.id,
      displayName: g.displayName ?? '',
      kind: (g.groupTypes ?? []).includes('Unified') ? ('microsoft365' as const) : g.securityEnabled ? ('security' as const) : ('other' as const),
      mail: g.mail ?? null,
    })),
    nextCursor: page['@odata.nextLink'] ?? null,
  };
}
