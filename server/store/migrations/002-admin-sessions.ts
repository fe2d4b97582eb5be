import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/** Admin page sessions: only hashes of the session and CSRF tokens are stored. */
export const adminSessions: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('admin_session')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('token_hash', t.text, (c) => c.notNull().unique())
        .addColumn('csrf_hash', t.text, (c) => c.notNull())
        .addColumn('label', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('last_used_at', t.text, (c) => c.notNull())
        .addColumn('expires_at', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('admin_session_expiry_ix').on('admin_session').column('expires_at').execute();
    },
  };
};
