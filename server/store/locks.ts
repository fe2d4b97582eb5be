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

/**
 * Connection options (libpq `options`) that make PostgreSQL notice a client host that vanished
 * (power loss, a network cut: no TCP reset arrives) within about a minute rather than the kernel's
 * default of over two hours, so the locks and transactions of its session are released and another
 * instance can take over its work. Ignored on Unix-socket connections, where no host can vanish.
 * https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-TCP-KEEPALIVES-IDLE
 */
export const DEAD_CLIENT_DETECTION = '-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3';
