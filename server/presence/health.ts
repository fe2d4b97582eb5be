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
    ])
    .where('e.tenant_id', '=', tenantId)
    .where('e.source', '=', 'entra')
    .where('e.entra_object_id', 'is not', null)
    .orderBy('e.id')
    .limit(options.limit + 1);
  if (options.afterId !== undefined) query = query.where('e.id', '>', options.afterId);
  if (options.errorsOnly) query = query.where('p.last_error', 'is not', null);
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
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
  }));
}
