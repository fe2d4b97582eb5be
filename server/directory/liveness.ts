import type { Store } from '../store/index.js';

/**
 * How a running sync run (directory or contacts) shows that its process is alive: it writes a
 * heartbeat, and a run silent for MISSED_HEARTBEATS heartbeats belongs to a dead process, whose
 * work another instance (PostgreSQL) or the next start resumes. `RUN_HEARTBEAT_SECONDS` sets it.
 */
interface RunLiveness {
  heartbeatMs: number;
  staleMs: number;
}

/** Rides out an event loop or a database busy for a few heartbeats without declaring a live run dead. */
const MISSED_HEARTBEATS = 4;
const DEFAULT_HEARTBEAT_SECONDS = 15;

const byStore = new WeakMap<Store, RunLiveness>();

const fromHeartbeat = (seconds: number): RunLiveness => ({ heartbeatMs: seconds * 1000, staleMs: seconds * 1000 * MISSED_HEARTBEATS });

export function configureRunLiveness(store: Store, heartbeatSeconds: number): void {
  byStore.set(store, fromHeartbeat(heartbeatSeconds));
}

export function runLiveness(store: Store): RunLiveness {
  return byStore.get(store) ?? fromHeartbeat(DEFAULT_HEARTBEAT_SECONDS);
}

/** Runs whose heartbeat is older than this are abandoned (ISO timestamp, compared with `heartbeat_at`). */
export function staleBefore(store: Store, staleMs = runLiveness(store).staleMs): string {
  return new Date(Date.now() - staleMs).toISOString();
}

/** Keeps a run's heartbeat fresh until the returned function is called. */
export function keepAlive(store: Store, beat: () => Promise<unknown>): () => void {
  const timer = setInterval(() => void beat().catch(() => undefined), runLiveness(store).heartbeatMs);
  timer.unref();
  return () => clearInterval(timer);
}
