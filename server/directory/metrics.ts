import type { Metrics } from '../metrics/index.js';
import type { Store } from '../store/index.js';
import { onRunFinished } from './hooks.js';

const CHANGES = ['created', 'updated', 'deleted', 'failed'] as const;

/** Sync-run metrics (directory and contacts runs) of one store; returns the function that stops recording. */
export function recordRunMetrics(store: Store, metrics: Metrics): () => void {
  const runs = metrics.counter('ucbridge_sync_runs_total', 'Sync runs by tenant, kind and outcome (held: stopped by the deletion guard until an admin confirms)');
  const changes = metrics.counter('ucbridge_sync_changes_total', 'Objects that sync runs created, updated, deleted or failed on, by tenant and kind');
  const duration = metrics.histogram('ucbridge_sync_run_duration_seconds', 'Sync run duration by kind', [1, 5, 15, 60, 300, 900, 3600]);
  return onRunFinished((run) => {
    if (run.store !== store) return;
    runs.inc({ tenant: run.tenantId, kind: run.kind, status: run.status });
    for (const change of CHANGES) if (run.counts[change] > 0) changes.inc({ tenant: run.tenantId, kind: run.kind, change }, run.counts[change]);
    if (run.status !== 'held') duration.observe({ kind: run.kind }, run.seconds);
  });
}
