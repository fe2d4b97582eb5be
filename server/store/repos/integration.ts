import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, IntegrationTable } from '../schema.js';

export type IntegrationRow = Selectable<IntegrationTable>;

/** The Entra connection of a tenant. Secrets in these rows are sealed by the SecretBox. */
export function integrationRepo(db: Kysely<Database>) {
  return {
    get: (tenantId: string): Promise<IntegrationRow | undefined> =>
      db.selectFrom('integration').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst(),
    async upsert(row: IntegrationRow): Promise<void> {
      const { tenant_id: _tenant, created_at: _created, ...changes } = row;
      await db
        .insertInto('integration')
        .values(row)
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet(changes))
        .execute();
    },
    async update(tenantId: string, changes: Updateable<IntegrationTable>): Promise<void> {
      await db.updateTable('integration').set(changes).where('tenant_id', '=', tenantId).execute();
    },
    async remove(tenantId: string): Promise<void> {
      await db.deleteFrom('integration').where('tenant_id', '=', tenantId).execute();
    },
  };
}
