import { z } from 'zod';

/**
 * The presence vocabulary every part of ucbridge speaks — the server, the SDK, the admin page
 * and the browser extension: extension statuses, who set one, the Teams availabilities and
 * activities, and the mapping between them with its defaults (SPEC §5). Pure and browser-safe
 * (zod only), so bundles import it as it is and the lists can never drift apart.
 */

/** Extension statuses the PBX routes calls by; a user may pick any of them by hand. */
export const EXTENSION_STATUSES = ['available', 'away', 'business_trip', 'do_not_disturb', 'lunch', 'off_work'] as const;
export const extensionStatus = z.enum(EXTENSION_STATUSES);
export type ExtensionStatus = z.infer<typeof extensionStatus>;

/** Who set a status: Teams presence, the calendar, the user, an admin or the PBX; `default` when nobody has. */
export const STATUS_SOURCES = ['teams', 'calendar', 'user', 'admin', 'pbx', 'default'] as const;
export const statusSource = z.enum(STATUS_SOURCES);
export type StatusSource = z.infer<typeof statusSource>;

/** Every Teams availability Graph reports (graph/api/resources/presence). */
export const TEAMS_AVAILABILITIES = [
  'Available',
  'AvailableIdle',
  'Away',
  'BeRightBack',
  'Busy',
  'BusyIdle',
  'DoNotDisturb',
  'Offline',
  'PresenceUnknown',
] as const;
export type TeamsAvailability = (typeof TEAMS_AVAILABILITIES)[number];

/** The Teams activities worth mapping on their own (the availability covers the rest). */
export const TEAMS_ACTIVITIES = [
  'InACall',
  'InAConferenceCall',
  'InAMeeting',
  'Presenting',
  'UrgentInterruptionsOnly',
  'OutOfOffice',
  'OffWork',
  'Inactive',
] as const;
export type TeamsActivity = (typeof TEAMS_ACTIVITIES)[number];

/** What a mapping entry may say: set this status, or leave the extension's status alone. */
export const mappingValue = z.union([extensionStatus, z.literal('no_change')]);
export type MappingValue = z.infer<typeof mappingValue>;

export const availabilityShape = Object.fromEntries(TEAMS_AVAILABILITIES.map((a) => [a, mappingValue])) as Record<
  TeamsAvailability,
  typeof mappingValue
>;
export const activityShape = Object.fromEntries(TEAMS_ACTIVITIES.map((a) => [a, mappingValue.optional()])) as Record<
  TeamsActivity,
  z.ZodOptional<typeof mappingValue>
>;

/** A complete mapping, as stored and as the API returns it. */
export const presenceMapping = z.strictObject({
  /** The user's own switch: Teams presence sets their status only when on (and the admin enabled presence sync). */
  enabled: z.boolean(),
  /** One entry for each of the nine availabilities. */
  availability: z.strictObject(availabilityShape),
  /** Overrides for specific activities; an activity without an entry falls back to its availability. */
  activity: z.strictObject(activityShape),
});
export type PresenceMapping = z.infer<typeof presenceMapping>;

/**
 * The defaults, chosen so that a PBX call never rings into a moment Teams says the user cannot
 * take one, while states that say little about the desk phone leave the status alone:
 * - Available / AvailableIdle → available; Away / BeRightBack → away.
 * - Busy / BusyIdle / DoNotDisturb → do_not_disturb (in a Teams call, meeting or focus time).
 * - Offline / PresenceUnknown → no_change: Teams being closed does not mean the user left
 *   (the desk phone may still be in use), and unknown must never change routing.
 * - Activities: calls, meetings, presenting and urgent-interruptions-only → do_not_disturb;
 *   OutOfOffice → away (as the calendar source does); OffWork → off_work; Inactive → no_change
 *   (idle is not absent).
 */
export const DEFAULT_PRESENCE_MAPPING: PresenceMapping = {
  enabled: false,
  availability: {
    Available: 'available',
    AvailableIdle: 'available',
    Away: 'away',
    BeRightBack: 'away',
    Busy: 'do_not_disturb',
    BusyIdle: 'do_not_disturb',
    DoNotDisturb: 'do_not_disturb',
    Offline: 'no_change',
    PresenceUnknown: 'no_change',
  },
  activity: {
    InACall: 'do_not_disturb',
    InAConferenceCall: 'do_not_disturb',
    InAMeeting: 'do_not_disturb',
    Presenting: 'do_not_disturb',
    UrgentInterruptionsOnly: 'do_not_disturb',
    OutOfOffice: 'away',
    OffWork: 'off_work',
    Inactive: 'no_change',
  },
};
