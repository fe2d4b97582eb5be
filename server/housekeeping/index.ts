/**
 * server/housekeeping — keeps the logs that grow with use bounded: finished sync runs beyond
 * `RUN_RETENTION_DAYS`, client sessions whose refresh token expired, audit entries beyond
 * `AUDIT_RETENTION_DAYS`, finished webhook deliveries beyond `WEBHOOK_LOG_RETENTION_DAYS` and the
 * embedded queue's failed jobs after a week, and phonebook grants to deleted extensions or groups.
 * Each module owns its pruning (directory `pruneRuns`, sso `pruneSessions`, the store's audit
 * repo, webhooks `pruneDeliveries`, jobs `pruneFailedJobs`, contacts `pruneOrphanGrants`); this
 * one schedules them.
 */
export { housekeep, housekeepingService, type HousekeepingDeps, type Pruned } from './service.js';
