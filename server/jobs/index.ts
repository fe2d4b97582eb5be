/**
 * server/jobs — the job runner, scheduled sync and change-triggered sync (SPEC §7).
 *
 * - `JobRunner` (./runner.ts): one interface; `EmbeddedJobRunner` keeps jobs in the store and runs
 *   them in-process; `PostgresJobRunner` (pg-boss) implements the same interface for scale-out.
 * - Scheduled sync: settings kind `schedule` → a cron schedule per tenant in its IANA time zone.
 * - Change-triggered sync: Graph subscriptions on users and groups when PUBLIC_URL is set, delta
 *   polling otherwise, debounced by `changeTrigger`.
 *
 * Other modules call `refreshChangeTracking(store, tenantId)` after connecting/disconnecting the
 * integration or switching sync on/off, so subscriptions and schedules follow at once, and
 * `dropTenantSubscriptions` before disabling or disconnecting (Graph still takes its credentials).
 */
export type { Clock } from './clock.js';
export type { CronSpec, EnqueueOptions, Job, JobHandler, JobPayload, JobRunner, ScheduleOptions, WorkOptions } from './runner.js';
export { EmbeddedJobRunner, type EmbeddedRunnerOptions } from './embedded-runner.js';
export { FAILED_JOB_RETENTION_DAYS, pruneFailedJobs } from './job-repo.js';
export { PostgresJobRunner, jobsSchemaName, type PostgresRunnerOptions } from './postgres-runner.js';
export { scheduleSettings, scheduleCron, type ScheduleSettings } from './schedule-settings.js';
export { handleGraphNotifications, notificationBody, validationToken, type AuthenticItem, type NotificationBody, type NotificationHandler } from './notifications.js';
export type { TrackingMode } from './change-tracking.js';
export { dropTenantSubscriptions } from './subscriptions.js';
export {
  acceptLifecycle,
  acceptNotifications,
  getScheduleSettings,
  jobsService,
  putScheduleSettings,
  refreshChangeTracking,
  scheduleStatus,
  type JobsOptions,
} from './service.js';
