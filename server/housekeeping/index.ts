/**
 * server/housekeeping — keeps the logs that grow with use bounded: finished sync runs beyond
 * `RUN_RETENTION_DAYS`, client sessions whose refresh token expired, and audit entries beyond
 * `AUDIT_RETENTION_DAYS`. Each module owns its pruning (directory `pruneRuns`, sso
 * `pruneSessions`, the store's audit repo); this one schedules them.
 */
export { housekeep, housekeepingService, type HousekeepingDeps, type Pruned } from './service.js';
