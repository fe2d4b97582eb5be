import { z } from 'zod';
import { auditRepo } from '../store/index.js';
import type { Store } from '../store/index.js';
import { clientStateMatches, subscriptionRepo, type TrackedSubscription } from './subscriptions.js';

/**
 * Graph's validation token: printable ASCII of bounded length. Anything else is not from Graph
 * and is refused rather than echoed.
 */
export const validationToken = z.string().regex(/^[\x20-\x7E]{1,1024}$/);

const item = z.looseObject({
  subscriptionId: z.string().max(100),
  clientState: z.string().nullable().optional(),
  changeType: z.string().optional(),
  lifecycleEvent: z.string().optional(),
});
export const notificationBody = z.object({ value: z.array(item).max(1000) });
export type NotificationBody = z.infer<typeof notificationBody>;
export type NotificationItem = z.infer<typeof item>;

/** Authentic items of one kind of subscription, handed to the module that made it. */
export type AuthenticItem = { item: NotificationItem; subscription: TrackedSubscription };
export type NotificationHandler = (store: Store, items: AuthenticItem[], kind: 'notification' | 'lifecycle') => Promise<void>;
const handlers = new Map<string, NotificationHandler>();

/**
 * Lets another module receive the notifications of the subscriptions it stores in
 * graph_subscription under `resource` (e.g. presence); directory resources stay with sync.
 */
export function handleGraphNotifications(resource: string, handler: NotificationHandler): void {
  handlers.set(resource, handler);
}

/** Hands items with a registered handler to it; returns the rest. */
export async function dispatchToHandlers(store: Store, items: AuthenticItem[], kind: 'notification' | 'lifecycle'): Promise<AuthenticItem[]> {
  const byHandler = new Map<NotificationHandler, AuthenticItem[]>();
  const rest: AuthenticItem[] = [];
  for (const entry of items) {
    const handler = handlers.get(entry.subscription.resource);
    if (handler) byHandler.set(handler, [...(byHandler.get(handler) ?? []), entry]);
    else rest.push(entry);
  }
  for (const [handler, own] of byHandler) await handler(store, own, kind);
  return rest;
}

export interface NotificationLog {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * Keeps the items whose subscription is ours and whose clientState matches; every other item is a
 * forgery or a leftover and is logged (never its clientState) and, when the tenant is known,
 * recorded in the audit log.
 */
export async function authenticItems(
  store: Store,
  body: NotificationBody,
  log: NotificationLog,
  source: { ip: string; kind: 'notification' | 'lifecycle' },
): Promise<AuthenticItem[]> {
  const subscriptions = subscriptionRepo(store);
  // A batch usually repeats one or two subscription ids: look each up once.
  const known = new Map<string, Promise<TrackedSubscription | undefined>>();
  const accepted = [];
  for (const notification of body.value) {
    const id = notification.subscriptionId;
    if (!known.has(id)) known.set(id, subscriptions.find(id));
    const subscription = await known.get(id);
    const reason = !subscription
      ? 'unknown subscription'
      : clientStateMatches(notification.clientState, subscription.clientStateHash)
        ? undefined
        : 'clientState does not match';
    if (!reason && subscription) {
      accepted.push({ item: notification, subscription });
      continue;
    }
    log.warn({ subscriptionId: notification.subscriptionId, reason, ip: source.ip, kind: source.kind }, 'Graph notification rejected');
    if (subscription) {
      await auditRepo(store.db).record({
        tenantId: subscription.tenantId,
        actor: 'graph',
        action: `graph.${source.kind}.rejected`,
        target: notification.subscriptionId,
        details: { reason: reason ?? '' },
        ip: source.ip,
      });
    }
  }
  return accepted;
}
