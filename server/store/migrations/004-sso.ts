import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/**
 * Single sign-on: why a session ended (rotation vs. revocation decides refresh-token reuse
 * detection), and the short-lived, single-use sign-in challenges (web-flow state, exchange nonces).
 */
export const sso: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('session').addColumn('revoked_reason', t.text).execute();
      await db.schema.createIndex('session_family_ix').on('session').column('family_id').execute();
      await db.schema.createIndex('session_extension_ix').on('session').columns(['tenant_id', 'extension_id']).execute();

      await db.schema
        .createTable('sso_challenge')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('nonce', t.text, (c) => c.notNull())
        .addColumn('code_verifier', t.text)
        .addColumn('browser_hash', t.text)
        .addColumn('redirect_uri', t.text)
        .addColumn('return_to', t.text)
        .addColumn('expires_at', t.text, (c) => c.notNull())
        .addColumn('used_at', t.text)
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sso_challenge_expiry_ix').on('sso_challenge').column('expires_at').execute();
    },
  };
};
