/**
 * The presence vocabulary the extension shows (statuses, Teams availabilities and activities,
 * the mapping shape), from the module the server, the SDK and the admin page share.
 */
export {
  DEFAULT_PRESENCE_MAPPING,
  EXTENSION_STATUSES,
  TEAMS_ACTIVITIES,
  TEAMS_AVAILABILITIES,
  type ExtensionStatus,
  type MappingValue,
  type PresenceMapping,
  type TeamsActivity,
  type TeamsAvailability,
} from '../shared/presence.js';
import type { ExtensionStatus } from '../shared/presence.js';

/** Badge and status-dot colours: green free, red do-not-disturb, amber/orange short absences, blue/grey long ones. */
export const STATUS_COLOURS: Readonly<Record<ExtensionStatus, string>> = {
  available: '#2e7d32',
  away: '#b26a00',
  business_trip: '#1565c0',
  do_not_disturb: '#c62828',
  lunch: '#e65100',
  off_work: '#5f6368',
};
