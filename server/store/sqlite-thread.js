// @ts-check
/**
 * The SQLite connection's own thread (see sqlite-driver.ts): better-sqlite3 is synchronous, so
 * running it here keeps the server's event loop free while a statement runs, and lets the main
 * thread parse the next Graph page while this one writes the last. Plain JavaScript, so a worker
 * starts without a TypeScript loader wherever the server runs (tsx, vitest).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** Prepared statements by SQL text: most queries repeat, and preparing is a large share of a small query's cost. */
const CACHE_LIMIT = 256;

/** @type {{ file: string }} */
const { file } = workerData;
const port = parentPort;
if (!port) throw new Error('sqlite-thread.js runs as a worker thread');

const db = new Database(file);
// WAL lets the CLI read while the server writes; the busy timeout rides out short write locks.
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
db.pragma('foreign_keys = ON');
db.pragma('synchronous = NORMAL');
// Bulk syncs write tens of megabytes: checkpoint every ~80 MB of WAL rather than every 4 MB (each
// checkpoint rewrites the pages again), and give the WAL file back afterwards.
db.pragma('wal_autocheckpoint = 20000');
db.pragma('journal_size_limit = 67108864');

/** @type {Map<string, import('better-sqlite3').Statement>} */
const statements = new Map();

/** @param {string} sql */
function prepare(sql) {
  let statement = statements.get(sql);
  if (statement) {
    statements.delete(sql);
  } else {
    statement = db.prepare(sql);
    if (statements.size >= CACHE_LIMIT) statements.delete(statements.keys().next().value ?? '');
  }
  statements.set(sql, statement);
  return statement;
}

/**
 * Parameters that are rows (arrays) run the statement once per row: a bulk insert sends one
 * single-row statement and its rows, and gets back, per row, how many rows it changed.
 * @param {{ sql: string, parameters: unknown[] }} query
 */
function execute({ sql, parameters }) {
  const statement = prepare(sql);
  if (Array.isArray(parameters[0])) {
    const rows = parameters.map((row) => ({ changes: statement.run(/** @type {unknown[]} */ (row)).changes }));
    return { rows, changes: rows.reduce((sum, row) => sum + row.changes, 0) };
  }
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], changes, lastInsertRowid };
}

port.on('message', (/** @type {{ id: number, sql?: string, parameters?: unknown[], close?: true }} */ message) => {
  if (message.close) {
    statements.clear();
    db.close();
    port.postMessage({ id: message.id, rows: [] });
    port.close();
    return;
  }
  try {
    port.postMessage({ id: message.id, ...execute({ sql: message.sql ?? '', parameters: message.parameters ?? [] }) });
  } catch (error) {
    const { message: text, code } = /** @type {Error & { code?: string }} */ (error);
    port.postMessage({ id: message.id, error: { message: text, code } });
  }
});
port.postMessage({ id: 0, rows: [] });
