import type { Config } from '../config.js';
import type { Metrics } from '../metrics/index.js';
import type { Store } from '../store/index.js';
import { recordRunMetrics } from './metrics.js';
import { recoverOnStart, stopRuns } from './runner.js';
import { closeWelcomeTransports } from './welcome.js';

/**
 * Background side of directory sync: on start, resumes runs a dead process left behind and starts
 * queued ones; on stop, asks running syncs to stop at their next checkpoint (they resume on the
 * next start). Records how sync runs end in the metrics while it runs.
 */
export function directoryService(ctx: { store: Store; config: Config; metrics: Metrics; log?: { error(obj: object, msg: string): void } }) {
  let stopRecording: (() => void) | undefined;
  return {
    name: 'directory-sync',
    async start() {
      stopRecording = recordRunMetrics(ctx.store, ctx.metrics);
      const tenants = await ctx.store.db.selectFrom('sync_run').select('tenant_id').distinct().where('status', 'in', ['running', 'queued']).execute();
      recoverOnStart(ctx, tenants.map((t) => t.tenant_id));
    },
    async stop() {
      await stopRuns(ctx.store);
      stopRecording?.();
      closeWelcomeTransports();
    },
  };
}
