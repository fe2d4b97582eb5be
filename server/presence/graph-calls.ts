import { z } from 'zod';
import type { GraphClient } from '../graph/index.js';

/**
 * The Graph calls presence sync makes, with their answers validated. Limits from
 * graph/api/cloudcommunications-getpresencesbyuserid and graph/api/presence-setpresence.
 */

/** `getPresencesByUserId` takes at most 650 ids per call. */
export const PRESENCE_BATCH = 650;

const presenceItem = z.object({
  id: z.string(),
  availability: z.string().nullish(),
  activity: z.string().nullish(),
});
export type TeamsPresence = z.infer<typeof presenceItem>;
const presenceList = z.object({ value: z.array(presenceItem) });

/** Current presence of up to 650 users (app-only, Presence.Read.All); users Graph omits are absent. */
export async function fetchPresences(graph: GraphClient, objectIds: readonly string[]): Promise<TeamsPresence[]> {
  const answer = await graph.request('/communications/getPresencesByUserId', {
    method: 'POST',
    body: { ids: objectIds },
    schema: presenceList,
  });
  return answer.value;
}

/** Pairs setPresence accepts; a PBX call is `Busy`/`InACall`. */
export const CALL_PRESENCE = { availability: 'Busy', activity: 'InACall' } as const;

export async function setTeamsPresence(graph: GraphClient, objectId: string, expiryMinutes: number): Promise<void> {
  await graph.request(`/users/${encodeURIComponent(objectId)}/presence/setPresence`, {
    method: 'POST',
    // The session id is our app's client id: Graph aggregates one session per app.
    body: { sessionId: graph.clientId, ...CALL_PRESENCE, expirationDuration: `PT${expiryMinutes}M` },
  });
}

export async function clearTeamsPresence(graph: GraphClient, objectId: string): Promise<void> {
  await graph.request(`/users/${encodeURIComponent(objectId)}/presence/clearPresence`, {
    method: 'POST',
    body: { sessionId: graph.clientId },
  });
}

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string().optional() });
const scheduleInformation = z.object({
  scheduleId: z.string(),
  scheduleItems: z
    .array(z.object({ status: z.string(), start: dateTimeTimeZone, end: dateTimeTimeZone }))
    .optional(),
  error: z.object({ message: z.string().optional(), responseCode: z.string().optional() }).nullish(),
});
export type ScheduleInformation = z.infer<typeof scheduleInformation>;
const scheduleList = z.object({ value: z.array(scheduleInformation) });

/** Addresses per getSchedule call: Microsoft documents no maximum; 20 keeps answers small and fast. */
export const SCHEDULE_BATCH = 20;

/**
 * Free/busy of several users at once (Calendars.Read). Asked on the first user's calendar, so
 * the Outlook per-mailbox limits are spread over the tenant instead of hitting one mailbox.
 */
export async function fetchSchedules(
  graph: GraphClient,
  callerObjectId: string,
  emails: readonly string[],
  window: { start: Date; end: Date },
): Promise<ScheduleInformation[]> {
  const at = (d: Date) => ({ dateTime: d.toISOString().replace(/Z$/, ''), timeZone: 'UTC' });
  const answer = await graph.request(`/users/${encodeURIComponent(callerObjectId)}/calendar/getSchedule`, {
    method: 'POST',
    body: { schedules: emails, startTime: at(window.start), endTime: at(window.end), availabilityViewInterval: 5 },
    schema: scheduleList,
  });
  return answer.value;
}
