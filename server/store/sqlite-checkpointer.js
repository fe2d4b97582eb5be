// @ts-check
/**
 * WAL checkpoints on their own thread and connection (see sqlite-driver.ts). A checkpoint copies
 * the WAL's pages back into the database file; run by the writing connection (SQLite's automatic
 * checkpoint) it stalls that commit and the server's event loop for as long as the copy takes: a
 * fifth of a second for each 80 MB during a first directory sync. A PASSIVE checkpoint from a
 * second connection copies while the first one goes on writing. Plain JavaScript, so the worker
 * starts without a TypeScript loader wherever the server runs (tsx, vitest).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string }} */
const { file } = workerData;
const port = parentPort;
if (!port) throw new Error('sqlite-checkpointer.js runs as a worker thread');

const db = new Database(file);
db.pragma('busy_timeout = 5000');
// The checkpoint syncs the database file as this connection's setting says (as the writer's does).
db.pragma('synchronous = NORMAL');
// This connection never writes; it must not start checkpoints of its own either way.
db.pragma('wal_autocheckpoint = 0');

port.on('message', (/** @type {'checkpoint' | 'close'} */ message) => {
  if (message === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    const [result] = /** @type {Array<{ busy: number; log: number; checkpointed: number }>} */ (db.pragma('wal_checkpoint(PASSIVE)'));
    port.postMessage({ ok: true, ...result });
  } catch (error) {
    port.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
