import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/**
 * Which instance polls a tenant's presence: a lease renewed while the instance lives and taken
 * over by another once it lapses, so every user is polled by exactly one instance.
 */
export const presenceLeases: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('presence_lease')
        .addColumn('tenant_id', t.text, (c) => c.primaryKey())
        .addColumn('owner', t.text, (c) => c.notNull())
        .addColumn('expires_at', t.text, (c) => c.notNull())
        .execute();
    },
  };
};
