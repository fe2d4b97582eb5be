import { Cron } from 'croner';
import { AppError } from '../errors.js';
import type { CronSpec } from './runner.js';

/**
 * The first time after `after` that matches the pattern in its time zone. croner does the
 * wall-clock arithmetic: a 00:30 Europe/Berlin schedule is 23:30 UTC in winter and 22:30 UTC in
 * summer; a time skipped by a spring-forward change (02:30 on the last Sunday of March) fires
 * at the first valid minute after it, and a time repeated in autumn fires once.
 */
export function nextCronRun(spec: CronSpec, after: Date): Date {
  let next: Date | null;
  try {
    next = new Cron(spec.pattern, { timezone: spec.timeZone }).nextRun(after);
  } catch (cause) {
    throw new AppError('invalid_schedule', `The schedule '${spec.pattern}' in ${spec.timeZone} is not valid.`, undefined, {
      cause,
    });
  }
  if (!next) throw new AppError('invalid_schedule', `The schedule '${spec.pattern}' never fires.`);
  return next;
}

/** True for names the runtime's time-zone database knows (IANA names such as Europe/Berlin). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
