/**
 * server/housekeeping — keeps the logs that grow with use bounded: finished sync runs beyond
 * `RUN_RETENTION_DAYS` and client sessions whose refresh token expired. Each module owns its
 * pruning (directory `pruneRuns`, sso `pruneSessions`); this one schedules them.
 */
export { housekeep, housekeepingService, type HousekeepingDeps, type Pruned } from './service.js';
