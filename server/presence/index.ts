/**
 * server/presence — extension statuses and how Teams presence maps onto them.
 *
 * Changing a status (poller, calendar, admin, PBX):
 * ```ts
 * await setExtensionStatus(store, tenantId, extensionId, { status: 'do_not_disturb', source: 'teams', teamsAvailability: 'Busy' });
 * ```
 * This writes `extension_status` and publishes on the store's status bus, which feeds the client
 * SSE stream (`/api/v1/me/status/stream`). Listen with `statusBusFor(store).subscribe(…)`.
 * A user's mapping: `presenceMappingRepo(db).get(…)`, then `statusForPresence(mapping, presence)`.
 */
export {
  completeMapping,
  DEFAULT_PRESENCE_MAPPING,
  EXTENSION_STATUSES,
  extensionStatus,
  mappingValue,
  presenceMapping,
  presenceMappingInput,
  statusForPresence,
  TEAMS_ACTIVITIES,
  TEAMS_AVAILABILITIES,
  type ExtensionStatus,
  type MappingValue,
  type PresenceMapping,
  type PresenceMappingInput,
  type TeamsActivity,
  type TeamsAvailability,
} from './mapping.js';
export { presenceMappingRepo } from './mapping-repo.js';
export {
  extensionStatusRepo,
  extensionStatusView,
  setExtensionStatus,
  STATUS_SOURCES,
  statusSource,
  type ExtensionStatusView,
  type StatusChange,
} from './status.js';
export { statusBusFor, type StatusBus, type StatusEvent, type StatusListener, type StreamEndListener } from './bus.js';
export { statusFanoutService } from './fanout-postgres.js';
export { getPresenceSyncSettings, presenceSyncSettings, savePresenceSyncSettings, type PresenceSyncSettings } from './settings.js';
export {
  bulkMappingInput,
  getExtensionMapping,
  getExtensionStatus,
  manualStatusInput,
  putExtensionMapping,
  putExtensionStatus,
  putMappingsInBulk,
} from './admin.js';
export { callState, callStateView, setCallState, type CallState } from './reverse.js';
export { listPresenceHealth, presenceHealthItem, type PresenceHealthItem } from './health.js';
export { createPresenceService, presenceService, presenceServiceFor, type CycleReport, type PresenceClock, type PresenceService } from './service.js';
export { presenceGrantRepo, presenceSignInScopes, type EndedSignIns } from './grants.js';
export { onPresenceNotifications, PRESENCE_RESOURCE } from './subscriptions.js';
