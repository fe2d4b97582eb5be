import { z } from 'zod';

/**
 * How a user's Teams presence drives their extension status (SPEC §5). Each Teams availability,
 * and optionally a specific activity, maps to an extension status or to `no_change`. Activities
 * are more specific than availabilities, so an activity entry wins over the availability entry.
 * The lists, the mapping schema and its defaults are shared with the SDK, the admin page and the
 * browser extension (shared/presence.ts).
 */

export {
  DEFAULT_PRESENCE_MAPPING,
  EXTENSION_STATUSES,
  extensionStatus,
  mappingValue,
  presenceMapping,
  TEAMS_ACTIVITIES,
  TEAMS_AVAILABILITIES,
  type ExtensionStatus,
  type MappingValue,
  type PresenceMapping,
  type TeamsActivity,
  type TeamsAvailability,
} from '../../shared/presence.js';
import {
  activityShape,
  availabilityShape,
  DEFAULT_PRESENCE_MAPPING,
  TEAMS_ACTIVITIES,
  TEAMS_AVAILABILITIES,
  type MappingValue,
  type PresenceMapping,
} from '../../shared/presence.js';

/**
 * What a client sends to replace a mapping: every part optional. A missing availability takes
 * its default; `activity` replaces all overrides (send `{}` to have none; omit it for the defaults).
 */
export const presenceMappingInput = z.strictObject({
  enabled: z.boolean().optional(),
  availability: z.strictObject(availabilityShape).partial().optional(),
  activity: z.strictObject(activityShape).optional(),
});
export type PresenceMappingInput = z.infer<typeof presenceMappingInput>;

/** The complete mapping a client's input stands for. */
export function completeMapping(input: PresenceMappingInput): PresenceMapping {
  const availability = { ...DEFAULT_PRESENCE_MAPPING.availability };
  for (const name of TEAMS_AVAILABILITIES) availability[name] = input.availability?.[name] ?? availability[name];
  return {
    enabled: input.enabled ?? DEFAULT_PRESENCE_MAPPING.enabled,
    availability,
    activity: input.activity ?? { ...DEFAULT_PRESENCE_MAPPING.activity },
  };
}

const lookup = <K extends string>(keys: readonly K[], value: string | null | undefined): K | undefined => {
  const wanted = value?.toLowerCase();
  return keys.find((k) => k.toLowerCase() === wanted);
};

/**
 * The extension status a Teams presence stands for under a mapping, or `no_change`. Graph's
 * values are compared case-insensitively; unknown values count as PresenceUnknown.
 */
export function statusForPresence(
  mapping: PresenceMapping,
  presence: { availability?: string | null | undefined; activity?: string | null | undefined },
): MappingValue {
  const activity = lookup(TEAMS_ACTIVITIES, presence.activity);
  const byActivity = activity ? mapping.activity[activity] : undefined;
  if (byActivity) return byActivity;
  return mapping.availability[lookup(TEAMS_AVAILABILITIES, presence.availability) ?? 'PresenceUnknown'];
}
