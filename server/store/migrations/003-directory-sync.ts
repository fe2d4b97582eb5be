import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/**
 * Directory sync: the persisted plan of a run (so a held run can be confirmed and an interrupted
 * one resumed), and a mirror of Entra groups and their direct memberships kept by groups delta
 * (group sync and group-scoped user sync are computed from it locally).
 */
export const directorySync: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('sync_plan_item')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('run_id', t.text, (c) => c.notNull().references('sync_run.id').onDelete('cascade'))
        .addColumn('seq', t.int, (c) => c.notNull())
        .addColumn('op', t.text, (c) => c.notNull())
        .addColumn('payload', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_plan_item_pk', ['run_id', 'seq'])
        .execute();

      await db.schema
        .createTable('entra_group')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('id', t.text, (c) => c.notNull())
        .addColumn('display_name', t.text, (c) => c.notNull())
        .addColumn('unified', t.int, (c) => c.notNull())
        .addColumn('security', t.int, (c) => c.notNull())
        .addPrimaryKeyConstraint('entra_group_pk', ['tenant_id', 'id'])
        .execute();

      await db.schema
        .createTable('entra_membership')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('group_id', t.text, (c) => c.notNull())
        .addColumn('member_id', t.text, (c) => c.notNull())
        .addColumn('member_kind', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('entra_membership_pk', ['tenant_id', 'group_id', 'member_id'])
        .execute();
      await db.schema.createIndex('entra_membership_member_ix').on('entra_membership').columns(['tenant_id', 'member_id']).execute();
      await db.schema.createIndex('extension_group_member_ext_ix').on('extension_group_member').column('extension_id').execute();
    },
  };
};
