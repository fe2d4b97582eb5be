import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, Store, WebhookDeliveryTable } from '../store/index.js';

export const deliveryStatus = z.enum(['pending', 'succeeded', 'failed']);

export const deliveryView = z.object({
  id: z.string(),
  eventType: z.string(),
  status: deliveryStatus,
  /** Attempts made so far. */
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  responseStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DeliveryView = z.infer<typeof deliveryView>;

const toView = (row: WebhookDeliveryTable): DeliveryView => ({
  id: row.id,
  eventType: row.event_type,
  status: deliveryStatus.catch('pending').parse(row.status),
  attempts: row.attempt,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
  responseStatus: row.response_status,
  lastError: row.last_error,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The endpoint's delivery log, newest first; `before` is the (createdAt, id) of the last row seen. */
export async function listDeliveries(
  store: Store,
  tenantId: string,
  endpointId: string,
  page: { limit: number; before?: [string, string] | undefined },
): Promise<DeliveryView[]> {
  let query = store.db
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit);
  const before = page.before;
  if (before) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', before[0]), eb.and([eb('created_at', '=', before[0]), eb('id', '<', before[1])])]),
    );
  }
  return (await query.execute()).map(toView);
}

/**
 * Finished deliveries (delivered or given up) last updated before `before` (ISO) leave the log;
 * pending ones stay whatever their age. Returns how many were deleted.
 */
export async function pruneDeliveries(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db.deleteFrom('webhook_delivery').where('status', 'in', ['succeeded', 'failed']).where('updated_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
