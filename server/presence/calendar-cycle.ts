import type { GraphClient } from '../graph/index.js';
import { isAppError } from '../errors.js';
import type { Store } from '../store/index.js';
import { applyDecisions, errorDecision } from './apply.js';
import { calendarStatusAt, decideCalendar, type Decision } from './decide.js';
import { fetchSchedules, type ScheduleInformation } from './graph-calls.js';
import type { PresenceSyncSettings } from './settings.js';
import { presenceStateRepo } from './state-repo.js';
import { extensionStatusRepo } from './status.js';
import type { PresenceTarget } from './targets.js';
import type { BatchOutcome } from './teams-cycle.js';

const MINUTE = 60_000;

/**
 * One getSchedule call for up to 20 users: which events run right now, and the status each
 * user's calendar stands for (see `decideCalendar` for start, change and end).
 */
export async function pollCalendarBatch(
  store: Store,
  graph: GraphClient,
  tenantId: string,
  settings: PresenceSyncSettings,
  targets: readonly PresenceTarget[],
  now: Date,
): Promise<BatchOutcome> {
  const ids = targets.map((t) => t.extensionId);
  const states = await presenceStateRepo(store.db).many(tenantId, ids);
  const withMail = targets.filter((t) => t.email !== '');
  const first = withMail[0];
  let schedules: ScheduleInformation[] = [];
  try {
    if (first) {
      const window = { start: new Date(now.getTime() - MINUTE), end: new Date(now.getTime() + 5 * MINUTE) };
      schedules = await fetchSchedules(graph, first.objectId, withMail.map((t) => t.email), window);
    }
  } catch (error) {
    const message = `calendar poll failed: ${isAppError(error) ? `${error.code}: ${error.message}` : String(error)}`;
    await applyDecisions(store, tenantId, new Map(targets.map((t) => [t.extensionId, errorDecision(states.get(t.extensionId), message)])));
    return { changes: 0, errors: targets.length };
  }
  const byMail = new Map(schedules.map((s) => [s.scheduleId.toLowerCase(), s]));
  const statuses = await extensionStatusRepo(store.db).many(tenantId, ids);
  const decisions = new Map<string, Decision>();
  let errors = 0;
  for (const target of targets) {
    const state = states.get(target.extensionId);
    const schedule = byMail.get(target.email.toLowerCase());
    const current = statuses.get(target.extensionId);
    if (!schedule || schedule.error || !current) {
      errors++;
      const why = target.email === '' ? 'the extension has no email address' : (schedule?.error?.message ?? 'Microsoft Graph returned no schedule');
      decisions.set(target.extensionId, errorDecision(state, `calendar unavailable: ${why}`));
      continue;
    }
    const calendar = calendarStatusAt(schedule.scheduleItems ?? [], now);
    decisions.set(target.extensionId, decideCalendar({ calendar, state, current, settings }));
  }
  return { changes: await applyDecisions(store, tenantId, decisions), errors };
}
