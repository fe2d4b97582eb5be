import type { CreateTableBuilder } from 'kysely';
import { columnTypes, type AnyDb, type DialectMigration } from './types.js';

/** The domain tables of ARCHITECTURE.md, each carrying tenant_id. */
export const initial: DialectMigration = (dialect) => {
  const t = columnTypes(dialect);
  // Most tables share these columns; a helper keeps the definitions short and identical.
  const tenantScoped = <N extends string>(db: AnyDb, name: N) =>
    db.schema.createTable(name).addColumn('tenant_id', t.text, (c) => c.notNull());
  const stamps = <N extends string>(b: CreateTableBuilder<N>) =>
    b.addColumn('created_at', t.text, (c) => c.notNull()).addColumn('updated_at', t.text, (c) => c.notNull());

  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('tenant')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();

      await tenantScoped(db, 'admin_token')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('token_hash', t.text, (c) => c.notNull().unique())
        .addColumn('label', t.text, (c) => c.notNull())
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('last_used_at', t.text)
        .execute();

      await stamps(
        tenantScoped(db, 'integration')
          .addColumn('entra_tenant_id', t.text, (c) => c.notNull())
          .addColumn('client_id', t.text, (c) => c.notNull())
          .addColumn('client_secret', t.text, (c) => c.notNull())
          .addColumn('pending_client_secret', t.text)
          .addColumn('secret_hint', t.text, (c) => c.notNull())
          .addColumn('secret_expires_at', t.text)
          .addColumn('status', t.text, (c) => c.notNull())
          .addColumn('authority_host', t.text, (c) => c.notNull())
          .addColumn('graph_endpoint', t.text, (c) => c.notNull())
          .addColumn('permissions', t.text, (c) => c.notNull())
          .addColumn('last_tested_at', t.text)
          .addPrimaryKeyConstraint('integration_pk', ['tenant_id']),
      ).execute();

      await tenantScoped(db, 'settings')
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('version', t.int, (c) => c.notNull())
        .addColumn('value', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('settings_pk', ['tenant_id', 'kind'])
        .execute();

      let extension = tenantScoped(db, 'extension')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('number', t.text, (c) => c.notNull());
      for (const column of ['first_name', 'last_name', 'display_name', 'email', 'mobile', 'business_phone']) {
        extension = extension.addColumn(column, t.text, (c) => c.notNull().defaultTo(''));
      }
      for (const column of ['job_title', 'department', 'office', 'caller_id']) {
        extension = extension.addColumn(column, t.text, (c) => c.notNull().defaultTo(''));
      }
      await stamps(
        extension
          .addColumn('avatar', t.text)
          .addColumn('source', t.text, (c) => c.notNull())
          .addColumn('entra_object_id', t.text)
          .addColumn('entra_tenant_id', t.text)
          .addColumn('user_principal_name', t.text)
          .addColumn('locked_fields', t.text, (c) => c.notNull().defaultTo('[]'))
          .addColumn('read_only', t.int, (c) => c.notNull().defaultTo(0))
          .addColumn('enabled', t.int, (c) => c.notNull().defaultTo(1))
          .addUniqueConstraint('extension_number_uq', ['tenant_id', 'number'])
          .addUniqueConstraint('extension_entra_uq', ['tenant_id', 'entra_object_id']),
      ).execute();
      await db.schema.createIndex('extension_email_ix').on('extension').columns(['tenant_id', 'email']).execute();

      await stamps(
        tenantScoped(db, 'extension_group')
          .addColumn('id', t.text, (c) => c.primaryKey())
          .addColumn('name', t.text, (c) => c.notNull())
          .addColumn('source', t.text, (c) => c.notNull())
          .addColumn('entra_object_id', t.text)
          .addColumn('read_only', t.int, (c) => c.notNull().defaultTo(0))
          .addUniqueConstraint('extension_group_entra_uq', ['tenant_id', 'entra_object_id']),
      ).execute();

      await tenantScoped(db, 'extension_group_member')
        .addColumn('group_id', t.text, (c) => c.notNull().references('extension_group.id').onDelete('cascade'))
        .addColumn('extension_id', t.text, (c) => c.notNull().references('extension.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('extension_group_member_pk', ['group_id', 'extension_id'])
        .execute();

      await stamps(
        tenantScoped(db, 'phonebook')
          .addColumn('id', t.text, (c) => c.primaryKey())
          .addColumn('kind', t.text, (c) => c.notNull())
          .addColumn('name', t.text, (c) => c.notNull())
          .addColumn('owner_extension_id', t.text, (c) => c.references('extension.id').onDelete('cascade'))
          .addColumn('source_mailbox_id', t.text)
          .addColumn('source', t.text, (c) => c.notNull())
          .addColumn('read_only', t.int, (c) => c.notNull().defaultTo(0)),
      ).execute();

      await tenantScoped(db, 'phonebook_visibility')
        .addColumn('phonebook_id', t.text, (c) => c.notNull().references('phonebook.id').onDelete('cascade'))
        .addColumn('subject_kind', t.text, (c) => c.notNull())
        .addColumn('subject_id', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('phonebook_visibility_pk', ['phonebook_id', 'subject_kind', 'subject_id'])
        .execute();

      let contact = tenantScoped(db, 'contact')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('phonebook_id', t.text, (c) => c.notNull().references('phonebook.id').onDelete('cascade'))
        .addColumn('source_id', t.text)
        .addColumn('folder_id', t.text);
      for (const column of ['first_name', 'last_name', 'display_name', 'company', 'job_title', 'mobile']) {
        contact = contact.addColumn(column, t.text, (c) => c.notNull().defaultTo(''));
      }
      for (const column of ['home_phone', 'business_phone', 'email', 'search_digits']) {
        contact = contact.addColumn(column, t.text, (c) => c.notNull().defaultTo(''));
      }
      await contact
        .addColumn('change_key', t.text)
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .addUniqueConstraint('contact_source_uq', ['phonebook_id', 'source_id'])
        .execute();

      await tenantScoped(db, 'presence_mapping')
        .addColumn('extension_id', t.text, (c) => c.primaryKey().references('extension.id').onDelete('cascade'))
        .addColumn('value', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();

      await tenantScoped(db, 'extension_status')
        .addColumn('extension_id', t.text, (c) => c.primaryKey().references('extension.id').onDelete('cascade'))
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('source', t.text, (c) => c.notNull())
        .addColumn('teams_availability', t.text)
        .addColumn('teams_activity', t.text)
        .addColumn('previous_status', t.text)
        .addColumn('last_error', t.text)
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .execute();

      await tenantScoped(db, 'sync_run')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('kind', t.text, (c) => c.notNull())
        .addColumn('trigger', t.text, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('progress', t.text, (c) => c.notNull())
        .addColumn('counts', t.text, (c) => c.notNull())
        .addColumn('plan', t.text)
        .addColumn('error', t.text)
        .addColumn('created_at', t.text, (c) => c.notNull())
        .addColumn('started_at', t.text)
        .addColumn('finished_at', t.text)
        .addColumn('heartbeat_at', t.text)
        .execute();
      await db.schema.createIndex('sync_run_tenant_ix').on('sync_run').columns(['tenant_id', 'created_at']).execute();

      await tenantScoped(db, 'sync_problem')
        .addColumn('id', t.serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('run_id', t.text, (c) => c.notNull().references('sync_run.id').onDelete('cascade'))
        .addColumn('object_id', t.text, (c) => c.notNull())
        .addColumn('name', t.text, (c) => c.notNull())
        .addColumn('reason', t.text, (c) => c.notNull())
        .addColumn('hint', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sync_problem_run_ix').on('sync_problem').column('run_id').execute();

      await tenantScoped(db, 'delta_state')
        .addColumn('resource', t.text, (c) => c.notNull())
        .addColumn('delta_link', t.text, (c) => c.notNull())
        .addColumn('updated_at', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('delta_state_pk', ['tenant_id', 'resource'])
        .execute();

      await tenantScoped(db, 'graph_subscription')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('resource', t.text, (c) => c.notNull())
        .addColumn('change_type', t.text, (c) => c.notNull())
        .addColumn('client_state', t.text, (c) => c.notNull())
        .addColumn('expires_at', t.text, (c) => c.notNull())
        .addColumn('extension_id', t.text)
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();

      await tenantScoped(db, 'session')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('extension_id', t.text, (c) => c.notNull().references('extension.id').onDelete('cascade'))
        .addColumn('access_hash', t.text, (c) => c.notNull().unique())
        .addColumn('refresh_hash', t.text, (c) => c.notNull().unique())
        .addColumn('family_id', t.text, (c) => c.notNull())
        .addColumn('access_expires_at', t.text, (c) => c.notNull())
        .addColumn('refresh_expires_at', t.text, (c) => c.notNull())
        .addColumn('revoked_at', t.text)
        .addColumn('created_at', t.text, (c) => c.notNull())
        .execute();

      await tenantScoped(db, 'audit_log')
        .addColumn('id', t.text, (c) => c.primaryKey())
        .addColumn('actor', t.text, (c) => c.notNull())
        .addColumn('action', t.text, (c) => c.notNull())
        .addColumn('target', t.text, (c) => c.notNull())
        .addColumn('details', t.text, (c) => c.notNull())
        .addColumn('ip', t.text, (c) => c.notNull())
        .addColumn('at', t.text, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_tenant_ix').on('audit_log').columns(['tenant_id', 'at']).execute();

      await stamps(
        tenantScoped(db, 'webhook_endpoint')
          .addColumn('id', t.text, (c) => c.primaryKey())
          .addColumn('url', t.text, (c) => c.notNull())
          .addColumn('secret', t.text, (c) => c.notNull())
          .addColumn('events', t.text, (c) => c.notNull())
          .addColumn('enabled', t.int, (c) => c.notNull().defaultTo(1))
          .addColumn('disabled_reason', t.text),
      ).execute();

      await stamps(
        tenantScoped(db, 'webhook_delivery')
          .addColumn('id', t.text, (c) => c.primaryKey())
          .addColumn('endpoint_id', t.text, (c) => c.notNull().references('webhook_endpoint.id').onDelete('cascade'))
          .addColumn('event_type', t.text, (c) => c.notNull())
          .addColumn('payload', t.text, (c) => c.notNull())
          .addColumn('attempt', t.int, (c) => c.notNull().defaultTo(0))
          .addColumn('status', t.text, (c) => c.notNull())
          .addColumn('next_attempt_at', t.text)
          .addColumn('response_status', t.int)
          .addColumn('last_error', t.text),
      ).execute();
      await db.schema
        .createIndex('webhook_delivery_due_ix')
        .on('webhook_delivery')
        .columns(['status', 'next_attempt_at'])
        .execute();
    },
  };
};
