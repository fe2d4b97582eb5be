import type { AnyDb, DialectMigration } from './types.js';

/**
 * Local changes to synced extensions (SPEC §2: every synced field but the locked ones may change
 * locally): which columns the admin changed and what Entra ID had set there, so that a sync keeps
 * the change until the value changes in Entra ID instead of undoing it at the next run.
 */
export const localOverrides: DialectMigration = () => ({
  async up(db: AnyDb) {
    await db.schema.alterTable('extension').addColumn('local_overrides', 'text').execute();
  },
});
