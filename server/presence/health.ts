import { z } from 'zod';
import type { Store } from '../store/index.js';
import { parseStoredMapping } from './mapping-repo.js';
import { extensionStatus } from './mapping.js';
import { statusSource } from './status.js';

/** One synced user's presence health, as the admin sees it. */
export const presenceHealthItem = z.object({
  extensionId: z.string(),
  number: z.string(),
  displayName: z.string(),
  /** The user's own presence-sync switch (their mapping). */
  enabled: z.boolean(),
  status: extensionStatus,
  source: statusSource,
  /** When the status last changed. */
  updatedAt: z.string().nullable(),
  /** Last Teams value polling saw, and when it last changed. */
  teamsAvailability: z.string().nullable(),
  teamsActivity: z.string().nullable(),
  teamsChangedAt: z.string().nullable(),
  /** Status a running calendar event set (null: no event in charge). */
  calendarStatus: z.string().nullable(),
  /** Call state the PBX reported and we mirrored to Teams. */
  callState: z.string().nullable(),
  /** The Teams side's last error (polling, notified reads, setting Teams presence), cleared by the next Teams read. */
  teamsError: z.string().nullable(),
  teamsErrorAt: z.string().nullable(),
  /** The calendar's last error, cleared by the next calendar read of this user. */
  calendarError: z.string().nullable(),
  calendarErrorAt: z.string().nullable(),
  /** Both errors in one line, and the later of their times (what the admin page shows). */
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
});
export type PresenceHealthItem = z.infer<typeof presenceHealthItem>;

/** Users synced from Entra ordered by extension id, `limit + 1` rows after `afterId` (for `toPage`). */
export async function listPresenceHealth(
  store: Store,
  tenantId: string,
  options: { limit: number; afterId?: string | undefined; errorsOnly?: boolean | undefined },
): Promise<PresenceHealthItem[]> {
  let query = store.db
    .selectFrom('extension as e')
    .leftJoin('presence_mapping as m', 'm.extension_id', 'e.id')
    .leftJoin('extension_status as s', 's.extension_id', 'e.id')
    .leftJoin('presence_state as p', 'p.extension_id', 'e.id')
    .select([
      'e.id',
      'e.number',
      'e.display_name',
      'm.value as mapping',
      's.status',
      's.source',
      's.updated_at',
      'p.teams_availability',
      'p.teams_activity',
      'p.teams_changed_at',
      'p.calendar_status',
      'p.call_state',
      'p.last_error',
      'p.last_error_at',
      'p.calendar_error',
      'p.calendar_error_at',
    ])
    .where('e.tenant_id', '=', tenantId)
    .where('e.source', '=', 'entra')
    .where('e.entra_object_id', 'is not', null)
    .orderBy('e.id')
    .limit(options.limit + 1);
  if (options.afterId !== undefined) query = query.where('e.id', '>', options.afterId);
  if (options.errorsOnly) query = query.where((eb) => eb.or([eb('p.last_error', 'is not', null), eb('p.calendar_error', 'is not', null)]));
  const rows = await query.execute();
  return rows.map((r) => ({
    extensionId: r.id,
    number: r.number,
    displayName: r.display_name,
    enabled: r.mapping ? parseStoredMapping(r.mapping).enabled : false,
    status: extensionStatus.catch('available').parse(r.status ?? 'available'),
    source: statusSource.catch('default').parse(r.source ?? 'default'),
    updatedAt: r.updated_at,
    teamsAvailability: r.teams_availability,
    teamsActivity: r.teams_activity,
    teamsChangedAt: r.teams_changed_at,
    calendarStatus: r.calendar_status,
    callState: r.call_state,
    ...errorsOf(r),
  }));
}

type ErrorColumns = Record<'last_error' | 'last_error_at' | 'calendar_error' | 'calendar_error_at', string | null>;

/** Each side's error, and both together for readers that show one (the admin page). */
function errorsOf(r: ErrorColumns): Pick<PresenceHealthItem, 'teamsError' | 'teamsErrorAt' | 'calendarError' | 'calendarErrorAt' | 'lastError' | 'lastErrorAt'> {
  const errors = [r.last_error, r.calendar_error].filter((e) => e !== null);
  const times = [r.last_error_at, r.calendar_error_at].filter((t) => t !== null).sort();
  return {
    teamsError: r.last_error,
    teamsErrorAt: r.last_error_at,
    calendarError: r.calendar_error,
    calendarErrorAt: r.calendar_error_at,
    lastError: errors.length > 0 ? errors.join('; ') : null,
    lastErrorAt: times.at(-1) ?? null,
  };
}
