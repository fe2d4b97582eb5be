import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/**
 * Profile photos of synced users, shown as their extension's avatar (user sync `photoAsAvatar`).
 * Base64 text keeps one column type on both dialects; photos are small (Graph's default ≤ 64 KB).
 */
export const extensionAvatar: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('extension_avatar')
        .addColumn('extension_id', t.text, (c) => c.primaryKey().references('extension.id').onDelete('cascade'))
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('content_type', t.text, (c) => c.notNull())
        .addColumn('etag', t.text, (c) => c.notNull())
        .addColumn('data', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('extension_avatar_tenant_ix').on('extension_avatar').columns(['tenant_id', 'extension_id']).execute();
    },
  };
};
