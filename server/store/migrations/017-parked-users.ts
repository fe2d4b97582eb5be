import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/**
 * Users a directory run skipped for want of a number or of room under the extension limit. Users
 * delta lists a user again only when the user changes, so incremental runs look these up again
 * once a number or a slot may have been freed (`waits_for`: `number`, with the number wanted,
 * null for any automatic one; or `capacity`).
 */
export const parkedUsers: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('sync_parked_user')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('entra_object_id', t.text, (c) => c.notNull())
        .addColumn('waits_for', t.text, (c) => c.notNull())
        .addColumn('number', t.text)
        .addPrimaryKeyConstraint('sync_parked_user_pk', ['tenant_id', 'entra_object_id'])
        .execute();
    },
  };
};
