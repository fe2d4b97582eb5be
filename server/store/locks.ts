import { SqliteAdapter, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Holds `key` until the transaction ends, against every instance on the same PostgreSQL schema.
 * Advisory locks belong to the whole database, so the key is scoped to the schema (search_path):
 * two deployments, or two test runs, in one database do not wait on each other. On SQLite there is
 * nothing to take: one process owns the file and its writes are serial.
 * https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
export async function lockUntilCommit(trx: Transaction<Database>, key: string): Promise<void> {
  if (trx.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ':' || ${key}))`.execute(trx);
}
