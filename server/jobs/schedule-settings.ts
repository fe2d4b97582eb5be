import { z } from 'zod';
import { settingsRepo, type Store } from '../store/index.js';
import { isTimeZone } from './cron.js';
import type { CronSpec } from './runner.js';

export const SCHEDULE_KIND = 'schedule';
const VERSION = 1;

export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The server's own zone (what an on-prem admin expects), UTC when the runtime has none. */
const serverTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * Change-trigger defaults: seconds, not the ten minutes peers wait. `delayMinutes: 0` starts an
 * incremental (delta) run as soon as the first change arrives. Waiting buys nothing: a delta run
 * costs O(changes), only one sync per tenant runs at a time, and changes that arrive while it
 * runs coalesce into exactly one follow-up run — so a bulk import of 500 users costs two or three
 * runs, not 500. `burst: 10` only matters when an admin sets a delay (e.g. to batch changes on
 * a slow PBX): 10 changes then start the run at once. Fractions are allowed (0.5 = 30 s).
 */
const changeTrigger = z.strictObject({
  enabled: z.boolean().default(true),
  delayMinutes: z.number().min(0).max(1440).default(0),
  burst: z.number().int().min(1).max(100_000).default(10),
});

export const scheduleSettings = z
  .strictObject({
    frequency: z.enum(['daily', 'weekly']).default('daily'),
    /** Weekdays of a weekly schedule (ignored for daily). */
    days: z.array(z.enum(weekdays)).max(7).default([]),
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a 24-hour time HH:MM, e.g. "00:30"' })
      .default('00:30'),
    timeZone: z
      .string()
      .refine(isTimeZone, { message: 'is not an IANA time zone; use a name such as "Europe/Berlin" or "UTC"' })
      .default(serverTimeZone),
    changeTrigger: changeTrigger.prefault({}),
    /** Delta polling interval when Graph cannot reach this server (no PUBLIC_URL). */
    pollSeconds: z.number().int().min(5).max(86_400).default(60),
  })
  .refine((s) => s.frequency === 'daily' || s.days.length > 0, {
    message: 'pick at least one weekday ("mon"…"sun") for a weekly schedule',
    path: ['days'],
  });

export type ScheduleSettings = z.output<typeof scheduleSettings>;

export async function getScheduleSettings(store: Store, tenantId: string): Promise<ScheduleSettings> {
  const stored = await settingsRepo(store.db).get(tenantId, SCHEDULE_KIND);
  const parsed = scheduleSettings.safeParse(stored?.value ?? {});
  // A document this version cannot read falls back to the defaults rather than stopping sync.
  return parsed.success ? parsed.data : scheduleSettings.parse({});
}

export async function saveScheduleSettings(store: Store, tenantId: string, value: ScheduleSettings): Promise<void> {
  await settingsRepo(store.db).put(tenantId, SCHEDULE_KIND, VERSION, value);
}

/** `00:30` daily → `30 0 * * *`; weekly on mon and thu → `30 0 * * 1,4`. */
export function scheduleCron(settings: ScheduleSettings): CronSpec {
  const [hour = '0', minute = '0'] = settings.time.split(':');
  const days =
    settings.frequency === 'daily'
      ? '*'
      : [...new Set(settings.days.map((d) => weekdays.indexOf(d)))].sort((a, b) => a - b).join(',');
  return { pattern: `${Number(minute)} ${Number(hour)} * * ${days}`, timeZone: settings.timeZone };
}
