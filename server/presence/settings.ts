import { z } from 'zod';
import { settingsRepo, type Store } from '../store/index.js';
import { extensionStatus } from './mapping.js';

/** Settings kind `presence-sync` (SPEC §5; ARCHITECTURE.md "presence-sync"). */
export const presenceSyncSettings = z.strictObject({
  /** The admin switch; each user still turns it on for themselves in their mapping. */
  enabled: z.boolean().default(false),
  /** Where statuses come from: Teams presence, the Outlook calendar, or both. */
  source: z.enum(['teams', 'calendar', 'both']).default('teams'),
  /** One Teams polling cycle; every user is asked once per cycle (stretched if Microsoft's budget needs it). */
  pollSeconds: z.number().int().min(5).max(3600).default(10),
  /** One calendar cycle (getSchedule); events have minute granularity. */
  calendarPollSeconds: z.number().int().min(30).max(3600).default(60),
  /** PBX call state → Teams presence (`setPresence`, needs Presence.ReadWrite.All). */
  reverse: z.boolean().default(false),
  /** How long a presence we set in Teams lasts unless renewed or cleared (Graph allows 5–240 min). */
  reverseExpiryMinutes: z.number().int().min(5).max(240).default(60),
  /** Statuses that, when set by hand (user, admin, PBX), neither Teams nor the calendar override. */
  protectedStatuses: z.array(extensionStatus).max(6).default(['business_trip', 'off_work']),
});
export type PresenceSyncSettings = z.output<typeof presenceSyncSettings>;

export const PRESENCE_SYNC_KIND = 'presence-sync';
const VERSION = 1;

export const DEFAULT_PRESENCE_SYNC: PresenceSyncSettings = presenceSyncSettings.parse({});

/** The tenant's presence-sync settings; defaults when never saved or no longer valid. */
export async function getPresenceSyncSettings(store: Store, tenantId: string): Promise<PresenceSyncSettings> {
  const stored = await settingsRepo(store.db).get(tenantId, PRESENCE_SYNC_KIND);
  const parsed = presenceSyncSettings.safeParse(stored?.value ?? {});
  return parsed.success ? parsed.data : DEFAULT_PRESENCE_SYNC;
}

export async function savePresenceSyncSettings(store: Store, tenantId: string, value: PresenceSyncSettings): Promise<PresenceSyncSettings> {
  await settingsRepo(store.db).put(tenantId, PRESENCE_SYNC_KIND, VERSION, value);
  return value;
}

/** Tenants whose admin switch is on, with their settings (the background service's work list). */
export async function tenantsWithPresenceSync(store: Store): Promise<Array<{ tenantId: string; settings: PresenceSyncSettings }>> {
  const rows = await store.db.selectFrom('settings').select(['tenant_id', 'value']).where('kind', '=', PRESENCE_SYNC_KIND).execute();
  const result: Array<{ tenantId: string; settings: PresenceSyncSettings }> = [];
  for (const row of rows) {
    const parsed = presenceSyncSettings.safeParse(JSON.parse(row.value));
    if (parsed.success && parsed.data.enabled) result.push({ tenantId: row.tenant_id, settings: parsed.data });
  }
  return result;
}
