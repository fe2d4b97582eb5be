import { z } from 'zod';
import { AppError, registerErrorCodes } from '../errors.js';
import { adminTokenRepo, DEFAULT_TENANT, generateAdminToken, nowIso, type Store } from '../store/index.js';

registerErrorCodes({ tenant_exists: 409, tenant_not_found: 404, tenant_protected: 409 });

export const tenantCreate = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'must be 2–63 lower-case letters, digits or hyphens, starting with a letter or digit' }),
  name: z.string().trim().min(1).max(200),
});
export type TenantCreate = z.infer<typeof tenantCreate>;

export const tenantView = z.object({ id: z.string(), name: z.string(), createdAt: z.string() });
export type TenantView = z.infer<typeof tenantView>;

const toView = (row: { id: string; name: string; created_at: string }): TenantView => ({ id: row.id, name: row.name, createdAt: row.created_at });

/** Tenants in creation order, `limit` from after the `(createdAt, id)` cursor. */
export async function listTenants(store: Store, page: { limit: number; after?: [string, string] | undefined }): Promise<TenantView[]> {
  let query = store.db.selectFrom('tenant').select(['id', 'name', 'created_at']).orderBy('created_at').orderBy('id').limit(page.limit);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]),
    );
  }
  return (await query.execute()).map(toView);
}

/** Refuses an id that names no tenant (the command line takes tenant ids as typed). */
export async function requireTenant(store: Store, id: string): Promise<void> {
  const found = await store.db.selectFrom('tenant').select('id').where('id', '=', id).executeTakeFirst();
  if (!found) {
    throw new AppError('tenant_not_found', `There is no tenant '${id}'.`, {
      hint: `Tenant ids are listed by GET /api/v1/tenants (operator token); without --tenant the '${DEFAULT_TENANT}' tenant is used.`,
    });
  }
}

/**
 * Creates a tenant with its first admin token, which is returned here once and stored hashed.
 * The tenant starts empty: its admin connects its own integration and chooses its settings.
 */
export async function createTenant(store: Store, input: TenantCreate): Promise<TenantView & { adminToken: string }> {
  const adminToken = generateAdminToken();
  const row = { id: input.id, name: input.name, created_at: nowIso() };
  await store.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('tenant')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) {
      throw new AppError('tenant_exists', `A tenant with id '${input.id}' already exists; pick another id.`, { field: 'id' });
    }
    await adminTokenRepo(trx).add(input.id, adminToken, 'operator');
  });
  return { ...toView(row), adminToken };
}

/**
 * Deletes a tenant and every row it owns (all tables carry `tenant_id`, found by introspection so
 * a table added later is covered too). The bootstrap tenant of the embedded setup stays.
 * `winddown` runs first, once the tenant is known to be deletable: what must stop before its rows go.
 */
export async function deleteTenant(store: Store, id: string, winddown?: () => Promise<void>): Promise<void> {
  if (id === DEFAULT_TENANT) {
    throw new AppError('tenant_protected', `The '${DEFAULT_TENANT}' tenant is the server's own and cannot be deleted.`);
  }
  await requireTenant(store, id);
  await winddown?.();
  const tables = await tenantTables(store);
  await store.db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('tenant').select('id').where('id', '=', id).executeTakeFirst();
    if (!found) throw new AppError('tenant_not_found', `There is no tenant '${id}'.`);
    for (const table of tables) {
      // Table names come from the database's own catalogue, not from input.
      await trx.deleteFrom(table as 'extension').where('tenant_id', '=', id).execute();
    }
    await trx.deleteFrom('tenant').where('id', '=', id).execute();
  });
}

/** Tables of this store (on PostgreSQL the introspection reads its schema only) that have a `tenant_id` column. */
async function tenantTables(store: Store): Promise<string[]> {
  return (await store.db.introspection.getTables())
    .filter((t) => t.name !== 'tenant' && t.columns.some((c) => c.name === 'tenant_id'))
    .map((t) => t.name);
}
