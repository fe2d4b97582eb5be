import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { nowIso } from '../util.js';

/** Raw settings documents; each feature module owns the schema, defaults and migrations of its kind. */
export function settingsRepo(db: Kysely<Database>) {
  return {
    async get(tenantId: string, kind: string): Promise<{ version: number; value: unknown } | undefined> {
      const row = await db
        .selectFrom('settings')
        .select(['version', 'value'])
        .where('tenant_id', '=', tenantId)
        .where('kind', '=', kind)
        .executeTakeFirst();
      return row ? { version: row.version, value: JSON.parse(row.value) as unknown } : undefined;
    },
    async put(tenantId: string, kind: string, version: number, value: unknown): Promise<void> {
      const values = { tenant_id: tenantId, kind, version, value: JSON.stringify(value), updated_at: nowIso() };
      await db
        .insertInto('settings')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'kind']).doUpdateSet({ version, value: values.value, updated_at: values.updated_at }),
        )
        .execute();
    },
  };
}
