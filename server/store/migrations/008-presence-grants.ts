import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/**
 * Delegated presence subscriptions: per extension, the Entra refresh token its user's web sign-in
 * returned (sealed), the sign-in (session family) it lives and dies with, and when a failed
 * subscription may be tried again. The subscriptions themselves are rows of graph_subscription
 * (resource `presence`, extension_id = the signed-in user).
 */
export const presenceGrants: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('presence_grant')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('extension_id', t.text, (c) => c.primaryKey().references('extension.id').onDelete('cascade'))
        .addColumn('family_id', t.text, (c) => c.notNull())
        .addColumn('refresh_token', t.text, (c) => c.notNull())
        .addColumn('retry_at', t.text)
        .addColumn('last_error', t.text)
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('presence_grant_tenant_ix').on('presence_grant').columns(['tenant_id', 'extension_id']).execute();
    },
  };
};
