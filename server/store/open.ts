import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, Migrator, sql } from 'kysely';
import pg from 'pg';
import { AppError } from '../errors.js';
import { migrationProvider, type Dialect } from './migrations/index.js';
import type { Database } from './schema.js';
import { DEAD_CLIENT_DETECTION } from './locks.js';
import { sqliteDialect } from './sqlite-driver.js';
import { SchemaPostgresDialect } from './postgres-introspector.js';
import { createSecretBox, loadSecretKeys, type SecretBox } from './secret-box.js';

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (created when missing); tests use a fresh one per run. */
  databaseSchema?: string | undefined;
  secretKey?: string | undefined;
}

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly secrets: SecretBox;
  /** Answers whether the database is reachable (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

function sqliteDb(dataDir: string): Kysely<Database> {
  mkdirSync(dataDir, { recursive: true });
  return new Kysely<Database>({ dialect: sqliteDialect(join(dataDir, 'ucbridge.db')) });
}

function postgresDb(url: string, schema: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10, keepAlive: true, options: `-c search_path=${schema} ${DEAD_CLIENT_DETECTION}` });
  return new Kysely<Database>({ dialect: new SchemaPostgresDialect({ pool }, schema) });
}

async function migrate(db: Kysely<Database>, dialect: Dialect, schema: string): Promise<void> {
  // Kysely looks its lock table up by schema, not through search_path: name the schema on PostgreSQL.
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialect),
    ...(dialect === 'postgres' ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('internal_error', `Database migration ${failed} failed: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
}

/** Opens SQLite (default) or PostgreSQL (when a URL is given) and brings the schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const dialect: Dialect = options.databaseUrl ? 'postgres' : 'sqlite';
  const schema = options.databaseSchema ?? 'public';
  const secrets = createSecretBox(
    loadSecretKeys({ secretKey: options.secretKey, dataDir: options.dataDir, shared: dialect === 'postgres' }),
  );
  const db = options.databaseUrl ? postgresDb(options.databaseUrl, schema) : sqliteDb(options.dataDir);
  try {
    if (dialect === 'postgres') await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    await migrate(db, dialect, schema);
  } catch (error) {
    await db.destroy();
    if (error instanceof AppError) throw error;
    throw new AppError('not_ready', `Cannot open the database: ${(error as Error).message}`, undefined, { cause: error });
  }
  return {
    db,
    dialect,
    secrets,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}
