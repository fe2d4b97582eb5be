import { mailboxUnreadable, type GraphClient } from '../graph/index.js';
import { isAppError } from '../errors.js';
import type { Store } from '../store/index.js';
import { decideAndApply, errorDecision, type Decide } from './apply.js';
import { calendarStatusAt, decideCalendar } from './decide.js';
import { fetchSchedules, type ScheduleInformation } from './graph-calls.js';
import type { PresenceSyncSettings } from './settings.js';
import type { PresenceTarget } from './targets.js';
import type { BatchOutcome } from './teams-cycle.js';

const MINUTE = 60_000;

/** Callers tried per batch before it counts as failed: a mailbox-less caller fails, the next may not. */
const CALLERS_TRIED = 3;

/**
 * getSchedule is asked on one user's calendar. A caller without a mailbox (404
 * MailboxNotEnabledForRESTAPI) or one an application access policy excludes (403) fails the call
 * for the whole batch: the next user of the batch is asked instead (that user's own schedule
 * then answers with its error, and only that user is reported).
 */
async function schedulesOf(graph: GraphClient, targets: readonly PresenceTarget[], window: { start: Date; end: Date }): Promise<ScheduleInformation[]> {
  const emails = targets.map((t) => t.email);
  for (const [i, caller] of targets.entries()) {
    try {
      return await fetchSchedules(graph, caller.objectId, emails, window);
    } catch (error) {
      if (i + 1 >= Math.min(CALLERS_TRIED, targets.length) || !mailboxUnreadable(error)) throw error;
    }
  }
  return [];
}

/**
 * One getSchedule call for up to 20 users: which events run right now, and the status each
 * user's calendar stands for (see `decideCalendar` for start, change and end), through
 * `decideAndApply`, which reads what it decides from once Graph answered: the call may wait out
 * Retry-After, and a Teams result stored meanwhile (the status to restore) must not be overwritten.
 */
export async function pollCalendarBatch(
  store: Store,
  graph: GraphClient,
  tenantId: string,
  settings: PresenceSyncSettings,
  targets: readonly PresenceTarget[],
  now: Date,
): Promise<BatchOutcome> {
  const withMail = targets.filter((t) => t.email !== '');
  const window = { start: new Date(now.getTime() - MINUTE), end: new Date(now.getTime() + 5 * MINUTE) };
  let schedules: ScheduleInformation[];
  try {
    schedules = await schedulesOf(graph, withMail, window);
  } catch (error) {
    const message = `calendar poll failed: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error)}`;
    await decideAndApply(store, tenantId, new Map(targets.map((t) => [t.extensionId, (state) => errorDecision(state, 'calendar', message)])));
    return { changes: 0, errors: targets.length };
  }
  const byMail = new Map(schedules.map((s) => [s.scheduleId.toLowerCase(), s]));
  const deciders = new Map<string, Decide>();
  let errors = 0;
  for (const target of targets) {
    const schedule = byMail.get(target.email.toLowerCase());
    if (!schedule || schedule.error) {
      errors++;
      const why = target.email === '' ? 'the extension has no email address' : (schedule?.error?.message ?? 'Microsoft Graph returned no schedule');
      deciders.set(target.extensionId, (state) => errorDecision(state, 'calendar', `calendar unavailable: ${why}`));
      continue;
    }
    const calendar = calendarStatusAt(schedule.scheduleItems ?? [], now);
    deciders.set(target.extensionId, (state, current) => decideCalendar({ calendar, state, current, settings }));
  }
  return { changes: await decideAndApply(store, tenantId, deciders), errors };
}
