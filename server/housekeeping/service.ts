import type { Config } from '../config.js';
import { repeat, type Repeating } from '../repeat.js';
import { pruneOrphanGrants } from '../contacts/index.js';
import { pruneRuns } from '../directory/index.js';
import { FAILED_JOB_RETENTION_DAYS, pruneFailedJobs } from '../jobs/index.js';
import { pruneSessions } from '../sso/index.js';
import { auditRepo, type Store } from '../store/index.js';
import { pruneDeliveries } from '../webhooks/index.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface HousekeepingDeps {
  store: Store;
  config: Pick<Config, 'runRetentionDays' | 'auditRetentionDays' | 'webhookLogRetentionDays'>;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

export interface Pruned {
  /** Finished sync runs older than RUN_RETENTION_DAYS (their problems went with them). */
  runs: number;
  /** Client sessions whose refresh token expired. */
  sessions: number;
  /** Audit entries older than AUDIT_RETENTION_DAYS. */
  auditEntries: number;
  /** Finished webhook deliveries older than WEBHOOK_LOG_RETENTION_DAYS. */
  webhookDeliveries: number;
  /** Jobs of the embedded queue that failed for good, older than FAILED_JOB_RETENTION_DAYS. */
  failedJobs: number;
  /** Company-phonebook grants to extensions or groups that were deleted since. */
  orphanGrants: number;
}

/** One pass over the logs that would otherwise grow forever. Idempotent: instances sharing a database may overlap. */
export async function housekeep(deps: Pick<HousekeepingDeps, 'store' | 'config'>, now = Date.now()): Promise<Pruned> {
  const daysAgo = (days: number) => new Date(now - days * DAY_MS).toISOString();
  const runs = await pruneRuns(deps.store.db, daysAgo(deps.config.runRetentionDays));
  const sessions = await pruneSessions(deps.store, daysAgo(0));
  const auditEntries = await auditRepo(deps.store.db).prune(daysAgo(deps.config.auditRetentionDays));
  const webhookDeliveries = await pruneDeliveries(deps.store.db, daysAgo(deps.config.webhookLogRetentionDays));
  const failedJobs = await pruneFailedJobs(deps.store.db, daysAgo(FAILED_JOB_RETENTION_DAYS));
  const orphanGrants = await pruneOrphanGrants(deps.store.db);
  return { runs, sessions, auditEntries, webhookDeliveries, failedJobs, orphanGrants };
}

/** Runs `housekeep` right after start and then hourly; a failed pass is logged and retried an hour later. */
export function housekeepingService(deps: HousekeepingDeps) {
  let loop: Repeating | undefined;
  const pass = async () => {
    const pruned = await housekeep(deps);
    if (Object.values(pruned).some((n) => n > 0)) deps.log.info({ pruned }, 'housekeeping: expired records deleted');
  };
  return {
    name: 'housekeeping',
    start(): void {
      loop = repeat({ firstMs: 0, everyMs: () => HOUR_MS }, pass, (error) => deps.log.error({ err: error }, 'housekeeping failed; retried in an hour'));
    },
    async stop(): Promise<void> {
      await loop?.stop();
    },
  };
}
