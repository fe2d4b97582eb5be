import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { DEFAULT_TENANT, nowIso } from '../util.js';

export function tenantRepo(db: Kysely<Database>) {
  return {
    async ensure(id: string = DEFAULT_TENANT, name = 'Default'): Promise<void> {
      await db
        .insertInto('tenant')
        .values({ id, name, created_at: nowIso() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },
    list: () => db.selectFrom('tenant').selectAll().orderBy('created_at').execute(),
  };
}
