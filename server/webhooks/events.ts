import type { Kysely } from 'kysely';
import { z } from 'zod';
import { fromFlag, newId, nowIso, type Database } from '../store/index.js';

/** Every event ucbridge sends to a PBX. */
export const eventTypes = [
  'extension.created',
  'extension.updated',
  'extension.deleted',
  'extension_group.created',
  'extension_group.updated',
  'extension_group.deleted',
  'phonebook.created',
  'phonebook.updated',
  'phonebook.deleted',
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'extension_status.changed',
  'sync_run.finished',
] as const;
export type EventType = (typeof eventTypes)[number];

/** Sent by "test ping" to one endpoint, whatever it subscribed to. */
export const PING_EVENT = 'webhook.ping';

/** What an endpoint subscribes to: exact types, a family (`extension.*`) or everything (`*`). */
export const eventFilter = z.union([
  z.enum(eventTypes),
  z.enum(['*', 'extension.*', 'extension_group.*', 'phonebook.*', 'contact.*', 'extension_status.*', 'sync_run.*']),
]);
export type EventFilter = z.infer<typeof eventFilter>;

export function matchesFilter(filters: readonly string[], type: string): boolean {
  const family = `${type.slice(0, type.indexOf('.'))}.*`;
  return filters.some((f) => f === '*' || f === type || f === family);
}

/**
 * Payload `data` per event (Standard Webhooks envelope `{type, timestamp, data}`):
 * - `extension.created|updated`: the extension as the REST API shows it (`GET /api/v1/extensions/{id}`);
 *   `extension.deleted`: `{id, number, entraObjectId}`.
 * - `extension_group.*`, `phonebook.*`, `contact.*`: the resource as the API shows it; deletes carry at least `{id}`.
 * - `extension_status.changed`: `{extensionId, status, source, teamsAvailability, teamsActivity, updatedAt}`.
 * - `sync_run.finished`: `{id, trigger, status, counts, startedAt, finishedAt}`.
 */
export type EventData = { id?: string } & Record<string, unknown>;

export interface DomainEvent {
  type: EventType;
  data: EventData;
}

/** Dispatchers of this process, woken when an event is written (they also poll, for other processes). */
const wakers = new Set<() => void>();

export function onEventPublished(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

/** The exact body that is signed and sent; kept in the delivery row so retries send the same bytes. */
export const eventBody = (type: string, data: unknown, at = nowIso()): string => JSON.stringify({ type, timestamp: at, data });

/**
 * Writes a delivery (outbox row) for every enabled endpoint of the tenant that subscribed to each
 * event. Pass the transaction that made the change as `db` so the events commit with it (at-least-
 * once: a crash after commit still sends them). Cheap when the tenant has no endpoints.
 */
export async function publishEvents(db: Kysely<Database>, tenantId: string, events: readonly DomainEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const endpoints = await db
    .selectFrom('webhook_endpoint')
    .select(['id', 'events', 'enabled'])
    .where('tenant_id', '=', tenantId)
    .execute();
  const now = nowIso();
  const rows = [];
  for (const endpoint of endpoints) {
    if (!fromFlag(endpoint.enabled)) continue;
    const filters = JSON.parse(endpoint.events) as string[];
    for (const event of events) {
      if (!matchesFilter(filters, event.type)) continue;
      rows.push(deliveryRow(tenantId, endpoint.id, event.type, eventBody(event.type, event.data, now), now));
    }
  }
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('webhook_delivery').values(rows.slice(i, i + 200)).execute();
  if (rows.length > 0) for (const wake of wakers) wake();
  return rows.length;
}

/**
 * Whether any enabled endpoint of the tenant could receive events: producers that must read rows
 * back to describe a change (a directory sync of 100,000 users) skip that work when none can.
 */
export async function hasWebhookSubscribers(db: Kysely<Database>, tenantId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_endpoint')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('enabled', '=', 1)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** One event; see `publishEvents`. */
export function publishEvent(db: Kysely<Database>, tenantId: string, type: EventType, data: EventData): Promise<number> {
  return publishEvents(db, tenantId, [{ type, data }]);
}

export function deliveryRow(tenantId: string, endpointId: string, type: string, payload: string, now: string) {
  return {
    id: newId(),
    tenant_id: tenantId,
    endpoint_id: endpointId,
    event_type: type,
    payload,
    attempt: 0,
    status: 'pending',
    next_attempt_at: now,
    response_status: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
}

/** Wakes this process's dispatchers (after a ping was queued). */
export function wakeDispatchers(): void {
  for (const wake of wakers) wake();
}
