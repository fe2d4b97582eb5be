import SqliteDatabase, { type Database as BetterSqlite, type Statement } from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import { BackgroundCheckpoints } from './sqlite-checkpoints.js';

/** Prepared statements kept by SQL text: most queries repeat, and preparing is a large share of a small query's cost. */
const STATEMENT_CACHE = 256;
/** WAL pages (4 KB) after which the writer checkpoints itself. */
export const WRITER_CHECKPOINT_PAGES = 16_384;

/**
 * The one SQLite connection (better-sqlite3). Unlike Kysely's own SQLite driver it keeps prepared
 * statements, and it runs bulk inserts: parameters that are rows (arrays) run the statement once
 * per row and answer, per row, how many rows it changed (store/bulk.ts).
 */
class SqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: BetterSqlite,
    /** Called after each committed write (a transaction's commit, or a statement outside one). */
    private readonly committed: () => void,
  ) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value ?? '');
    }
    this.statements.set(sql, statement);
    return statement;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (Array.isArray(parameters[0])) {
      const rows = (parameters as unknown[][]).map((row) => ({ changes: statement.run(row).changes }));
      if (!this.db.inTransaction) this.committed();
      return Promise.resolve({ rows: rows as R[], numAffectedRows: BigInt(rows.reduce((sum, r) => sum + r.changes, 0)) });
    }
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(parameters);
    if (!this.db.inTransaction) this.committed();
    return Promise.resolve({ rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) });
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on SQLite; page with limit/offset.');
  }
}

/** SQLite has one connection: a queue hands it to one query or transaction at a time. */
class SqliteDriver implements Driver {
  private connection: SqliteConnection | undefined;
  private checkpoints: BackgroundCheckpoints | undefined;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  constructor(private readonly file: string) {}

  init(): Promise<void> {
    const db = new SqliteDatabase(this.file);
    // WAL lets the CLI read while the server writes; the busy timeout rides out short write locks.
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // A first sync writes tens of megabytes of WAL: give the file back afterwards.
    db.pragma('journal_size_limit = 67108864');
    // Checkpoints run beside the writer (sqlite-checkpoints.ts). The writer's own only bounds the WAL
    // (64 MB) when that thread falls behind a long write, and then copies just what it left.
    db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
    this.checkpoints = BackgroundCheckpoints.start(this.file, (message) => process.emitWarning(`SQLite background checkpoints stopped: ${message}`));
    const checkpoints = this.checkpoints;
    this.connection = new SqliteConnection(db, () => checkpoints.wrote());
    return Promise.resolve();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise((resolve) => (release = resolve));
    await previous;
    this.release = release;
    if (!this.connection) throw new Error('The SQLite driver is not initialised.');
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  releaseConnection(): Promise<void> {
    this.release?.();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {
    await this.checkpoints?.close();
    this.checkpoints = undefined;
    this.connection?.db.close();
    this.connection = undefined;
  }
}

/** Kysely's SQLite dialect over SqliteDriver. */
export function sqliteDialect(file: string): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new SqliteDriver(file),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
