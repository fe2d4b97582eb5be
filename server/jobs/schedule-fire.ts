import { nextCronRun } from './cron.js';
import type { ScheduleRow, scheduleRepo } from './job-repo.js';
import type { CronSpec, EnqueueOptions, JobPayload, ScheduleOptions } from './runner.js';

type Schedules = ReturnType<typeof scheduleRepo>;
type Enqueue = (name: string, tenantId: string, options: EnqueueOptions) => Promise<unknown>;

/**
 * Fires one due schedule: moves it to its next time and enqueues one job for the time it was due.
 * The move is a compare-and-set, so when several workers see the same due row only one fires it.
 */
export async function fireSchedule(schedules: Schedules, row: ScheduleRow, now: number, enqueue: Enqueue): Promise<void> {
  const next = nextCronRun(row.cron, new Date(now)).getTime();
  if (!(await schedules.advance(row, next, now))) return;
  const payload: JobPayload = { ...row.payload, scheduledFor: new Date(row.nextRunAt).toISOString() };
  await enqueue(row.name, row.tenantId, { payload, ...(row.singletonKey ? { singletonKey: row.singletonKey } : {}) });
}

/**
 * Creates or replaces a tenant's schedule; false when it was already stored unchanged (re-saving
 * keeps its due time, so a run missed while stopped still fires on start).
 */
export async function saveSchedule(
  schedules: Schedules,
  key: { name: string; tenantId: string },
  cron: CronSpec,
  options: ScheduleOptions,
  now: number,
): Promise<boolean> {
  const existing = await schedules.get(key.tenantId, key.name);
  const singletonKey = options.singletonKey ?? null;
  const payload = options.payload ?? {};
  const unchanged =
    existing?.cron.pattern === cron.pattern &&
    existing.cron.timeZone === cron.timeZone &&
    existing.singletonKey === singletonKey &&
    JSON.stringify(existing.payload) === JSON.stringify(payload);
  if (unchanged) return false;
  const nextRunAt = nextCronRun(cron, new Date(now)).getTime();
  await schedules.put({ ...key, cron, singletonKey, payload, nextRunAt }, now);
  return true;
}

/** When a tenant's schedule of `name` fires next, or null without one. */
export async function nextScheduledRun(schedules: Schedules, name: string, tenantId: string): Promise<Date | null> {
  const row = await schedules.get(tenantId, name);
  return row ? new Date(row.nextRunAt) : null;
}
