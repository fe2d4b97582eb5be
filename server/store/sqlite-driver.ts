import { Worker } from 'node:worker_threads';
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

interface Reply {
  id: number;
  rows: unknown[];
  changes?: number;
  lastInsertRowid?: number | bigint;
  error?: { message: string; code?: string };
}

/** A SQLite error from the worker, with better-sqlite3's code (e.g. SQLITE_CONSTRAINT_UNIQUE). */
export class SqliteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

/**
 * The one SQLite connection, living in a worker thread (server/store/sqlite-thread.js). Queries
 * are messages; the worker is referenced only while one is pending, so an idle store never keeps
 * a process alive and a pending query always does.
 */
class WorkerConnection implements DatabaseConnection {
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (!waiting) return;
      if (reply.error) waiting.reject(new SqliteError(reply.error.message, reply.error.code));
      else waiting.resolve(reply);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('The SQLite worker thread stopped.')));
  }

  static async open(file: string): Promise<WorkerConnection> {
    const worker = new Worker(new URL('./sqlite-thread.js', import.meta.url), { workerData: { file } });
    const connection = new WorkerConnection(worker);
    // Reply 0 comes once the database is open (or the worker's error, e.g. an unwritable file).
    await connection.send(0, {});
    return connection;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  private send(id: number, message: object): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      if (id !== 0) this.worker.postMessage({ id, ...message });
    });
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const reply = await this.send(this.nextId++, { sql: query.sql, parameters: query.parameters });
    if (reply.changes === undefined) return { rows: reply.rows as R[] };
    return {
      rows: reply.rows as R[],
      numAffectedRows: BigInt(reply.changes),
      ...(reply.lastInsertRowid === undefined ? {} : { insertId: BigInt(reply.lastInsertRowid) }),
    };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on SQLite; page with limit/offset.');
  }

  async close(): Promise<void> {
    await this.send(this.nextId++, { close: true });
    await this.worker.terminate();
  }
}

/** SQLite has one connection: a queue hands it to one query or transaction at a time. */
class WorkerDriver implements Driver {
  private connection: WorkerConnection | undefined;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  constructor(private readonly file: string) {}

  async init(): Promise<void> {
    this.connection = await WorkerConnection.open(this.file);
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
    await this.connection?.close();
    this.connection = undefined;
  }
}

/** Kysely's SQLite dialect with the connection in a worker thread. */
export function workerSqliteDialect(file: string): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new WorkerDriver(file),
    createIntrospector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}
