import { extensionStatus, statusForPresence, type ExtensionStatus, type MappingValue, type PresenceMapping } from './mapping.js';
import type { PresenceSyncSettings } from './settings.js';
import type { PresenceStatePatch, PresenceStateRow } from './state-repo.js';
import { CALL_PRESENCE, type TeamsPresence } from './graph-calls.js';
import { statusSource, type ExtensionStatusView, type StatusChange } from './status.js';

/**
 * The rules of presence sync as pure functions: given what Graph says, what we knew and the
 * extension's current status, what to remember and which status (if any) to set.
 */
export interface Decision {
  /** Columns of presence_state to change (nothing to write when absent). */
  state?: PresenceStatePatch;
  /** The status to set (nothing to push when absent). */
  status?: StatusChange;
}

const MANUAL_SOURCES = new Set(['user', 'admin', 'pbx']);

/** A status someone set by hand that presence sync must not touch (SPEC §5: business trip, off work). */
export function isProtected(current: ExtensionStatusView, settings: Pick<PresenceSyncSettings, 'protectedStatuses'>): boolean {
  return MANUAL_SOURCES.has(current.source) && settings.protectedStatuses.includes(current.status);
}

const same = (a: string | null | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

/** Our own `setPresence` (a PBX call) coming back through polling: not a Teams change (loop guard). */
export function isOwnWrite(presence: TeamsPresence, state: PresenceStateRow | undefined, nowIso: string): boolean {
  if (!state?.call_state || !state.call_state_until || state.call_state_until <= nowIso) return false;
  return same(presence.availability, CALL_PRESENCE.availability) && same(presence.activity, CALL_PRESENCE.activity);
}

export interface TeamsInput {
  presence: TeamsPresence;
  mapping: PresenceMapping;
  state: PresenceStateRow | undefined;
  current: ExtensionStatusView;
  settings: PresenceSyncSettings;
  now: string;
}

/**
 * One polled Teams presence. Acts only when the Teams value or what the mapping makes of it
 * changed since the last poll, so a status set by hand stays until Teams really changes, an
 * unchanged presence costs no write, and an edited mapping applies at the next poll.
 */
export function decideTeams(input: TeamsInput): Decision {
  const { presence, state, current, settings, now } = input;
  if (isOwnWrite(presence, state, now)) return {};
  const availability = presence.availability ?? null;
  const activity = presence.activity ?? null;
  const result: MappingValue = statusForPresence(input.mapping, { availability, activity });
  const teamsChanged = availability !== (state?.teams_availability ?? null) || activity !== (state?.teams_activity ?? null);
  if (!teamsChanged && result === state?.teams_result && !state.last_error) return {};
  const patch: PresenceStatePatch = { teams_availability: availability, teams_activity: activity, teams_result: result };
  if (teamsChanged || !state?.teams_changed_at) patch.teams_changed_at = now;
  if (state?.last_error) Object.assign(patch, { last_error: null, last_error_at: null });
  if (!teamsChanged && result === state?.teams_result) return { state: patch };
  if (result === 'no_change' || isProtected(current, settings)) return { state: patch };
  if (state?.calendar_status && settings.source === 'both' && current.source === 'calendar') {
    // The calendar's status stands until the event ends; then this Teams status comes back. A status
    // set by hand during the event took over from the calendar: a Teams change applies to it as usual.
    return { state: { ...patch, restore_status: result, restore_source: 'teams' } };
  }
  if (current.status === result) return { state: patch };
  return { state: patch, status: { status: result, source: 'teams', teamsAvailability: availability, teamsActivity: activity } };
}

/** Outlook `showAs` / free-busy values → the status an event stands for (null: leave the status alone). */
const CALENDAR_STATUS: Record<string, ExtensionStatus> = {
  oof: 'away',
  away: 'away',
  busy: 'do_not_disturb',
  workingelsewhere: 'do_not_disturb',
};
/** When events overlap, the strongest wins. */
const CALENDAR_RANK = ['oof', 'away', 'busy', 'workingelsewhere'];

/** The status the events running at `at` stand for; tentative, free and unknown events count for nothing. */
export function calendarStatusAt(items: ReadonlyArray<{ status: string; start: { dateTime: string }; end: { dateTime: string } }>, at: Date): ExtensionStatus | null {
  const utc = (text: string) => Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  const t = at.getTime();
  let best: string | undefined;
  for (const item of items) {
    const status = item.status.toLowerCase();
    if (!(status in CALENDAR_STATUS) || utc(item.start.dateTime) > t || utc(item.end.dateTime) <= t) continue;
    if (best === undefined || CALENDAR_RANK.indexOf(status) < CALENDAR_RANK.indexOf(best)) best = status;
  }
  return best === undefined ? null : (CALENDAR_STATUS[best] ?? null);
}

export interface CalendarInput {
  calendar: ExtensionStatus | null;
  state: PresenceStateRow | undefined;
  current: ExtensionStatusView;
  settings: PresenceSyncSettings;
}

/**
 * One user's calendar right now. An event that starts takes over (remembering the status to
 * restore); one that ends gives the status back — unless someone changed it meanwhile, in which
 * case their change stands. Protected manual statuses are never taken over. The calendar was
 * read, so its error (if any) is cleared.
 */
export function decideCalendar(input: CalendarInput): Decision {
  const decision = followCalendar(input);
  if (!input.state?.calendar_error) return decision;
  return { ...decision, state: { ...decision.state, calendar_error: null, calendar_error_at: null } };
}

function followCalendar(input: CalendarInput): Decision {
  const { calendar, state, current, settings } = input;
  const inCharge = state?.calendar_status ?? null;
  if (calendar === inCharge) return {};
  if (calendar === null) {
    const patch: PresenceStatePatch = { calendar_status: null, restore_status: null, restore_source: null };
    if (current.source !== 'calendar') return { state: patch };
    const status = extensionStatus.catch('available').parse(state?.restore_status ?? 'available');
    const restoredSource = statusSource.exclude(['default']).catch('calendar').parse(state?.restore_source);
    const teams = restoredSource === 'teams' ? { teamsAvailability: state?.teams_availability ?? null, teamsActivity: state?.teams_activity ?? null } : {};
    return { state: patch, status: { status, source: restoredSource, ...teams } };
  }
  if (inCharge === null) {
    if (isProtected(current, settings)) return {};
    const patch: PresenceStatePatch = { calendar_status: calendar, restore_status: current.status, restore_source: current.source };
    // Taken over even when the status already matches: what the event ends restores only a status the
    // calendar owns, and Teams changes meanwhile wait for that (decideTeams).
    return { state: patch, status: { status: calendar, source: 'calendar', previousStatus: current.status } };
  }
  // Another event (or a stronger overlap) now runs: follow it if the calendar still owns the status.
  if (current.source !== 'calendar') return { state: { calendar_status: calendar } };
  return { state: { calendar_status: calendar }, status: { status: calendar, source: 'calendar', previousStatus: extensionStatus.nullable().catch(null).parse(state?.restore_status ?? null) } };
}
