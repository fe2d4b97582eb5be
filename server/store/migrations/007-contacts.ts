import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/**
 * Outlook contact sync: the contact folders of each synced mailbox with their delta links (one
 * delta round per folder, SPEC §4), removed with their phonebook; indexes for phonebook lookups,
 * contact paging by name and visibility checks.
 */
export const contactSync: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('contact_folder')
        .addColumn('tenant_id', t.text, (c) => c.notNull())
        .addColumn('phonebook_id', t.text, (c) => c.notNull().references('phonebook.id').onDelete('cascade'))
        .addColumn('folder_id', t.text, (c) => c.notNull())
        .addColumn('parent_id', t.text)
        .addColumn('display_name', t.text, (c) => c.notNull())
        .addColumn('delta_link', t.text)
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('contact_folder_pk', ['phonebook_id', 'folder_id'])
        .execute();
      await db.schema.createIndex('phonebook_owner_ix').on('phonebook').columns(['tenant_id', 'owner_extension_id']).execute();
      await db.schema.createIndex('phonebook_mailbox_ix').on('phonebook').columns(['tenant_id', 'kind', 'source_mailbox_id']).execute();
      await db.schema.createIndex('phonebook_name_ix').on('phonebook').columns(['tenant_id', 'name', 'id']).execute();
      await db.schema.createIndex('contact_name_ix').on('contact').columns(['phonebook_id', 'display_name', 'id']).execute();
      await db.schema.createIndex('contact_folder_ix').on('contact').columns(['phonebook_id', 'folder_id']).execute();
      await db.schema
        .createIndex('phonebook_visibility_subject_ix')
        .on('phonebook_visibility')
        .columns(['tenant_id', 'subject_kind', 'subject_id'])
        .execute();
    },
  };
};
