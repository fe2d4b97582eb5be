/**
 * server/webhooks — outbound Standard Webhooks to the PBX.
 *
 * Emitting an event (any module, ideally inside the transaction that made the change):
 * ```ts
 * await publishEvent(trx, tenantId, 'extension.updated', extensionView);        // one
 * await publishEvents(trx, tenantId, [{ type: 'extension.created', data }, …]); // a batch
 * ```
 * The rows written are the outbox: a dispatcher (background service) signs and sends them with
 * retries along the Standard Webhooks schedule, at least once.
 */
export {
  hasWebhookSubscribers,
  publishEvent,
  publishEvents,
  type DomainEvent,
  type EventData,
  type EventType,
} from './events.js';
export {
  createEndpoint,
  deleteEndpoint,
  endpointInput,
  endpointPatch,
  endpointView,
  getEndpoint,
  listEndpoints,
  rotateSecret,
  sendPing,
  updateEndpoint,
  type EndpointView,
} from './endpoints.js';
export { deliveryView, listDeliveries, pruneDeliveries, type DeliveryView } from './deliveries.js';
export {
  configureWebhookDelivery,
  webhookService,
  type DeliveryOptions,
} from './dispatcher.js';
