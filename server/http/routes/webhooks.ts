import { z } from 'zod';
import {
  createEndpoint,
  deleteEndpoint,
  deliveryView,
  endpointInput,
  endpointPatch,
  endpointView,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  rotateSecret,
  sendPing,
  updateEndpoint,
} from '../../webhooks/index.js';
import { adminTenant } from '../auth.js';
import type { RouteModule } from '../context.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.js';

const tags = ['webhooks'];
const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const withSecret = endpointView.extend({
  /** Shown once: store it in the PBX to verify signatures. */
  secret: z.string(),
});

/** Webhook endpoints of the PBX: registration, secret, test ping, delivery log. */
export const webhookRoutes: RouteModule = (app, ctx) => {
  const admin = { admin: true };
  app.get(
    '/api/v1/webhook-endpoints',
    { config: admin, schema: { tags, summary: 'Registered webhook endpoints', querystring: pageQuery, response: { 200: pageOf(endpointView) } } },
    async (request) => {
      const { limit, cursor } = request.query;
      const [after] = decodeCursor(cursor) ?? [];
      const rows = await listEndpoints(ctx.store, adminTenant(request), {
        limit: limit + 1,
        after: typeof after === 'string' ? after : undefined,
      });
      return toPage(rows, limit, (r) => [r.id]);
    },
  );

  app.post(
    '/api/v1/webhook-endpoints',
    {
      config: admin,
      schema: { tags, summary: 'Register an endpoint (the signing secret is shown once)', body: endpointInput, response: { 201: withSecret } },
    },
    async (request, reply) => reply.status(201).send(await createEndpoint(ctx.store, adminTenant(request), request.body)),
  );

  app.get(
    '/api/v1/webhook-endpoints/:id',
    { config: admin, schema: { tags, summary: 'One endpoint', params: idParams, response: { 200: endpointView } } },
    (request) => getEndpoint(ctx.store, adminTenant(request), request.params.id),
  );

  app.patch(
    '/api/v1/webhook-endpoints/:id',
    {
      config: admin,
      schema: { tags, summary: 'Change url, events or enabled', params: idParams, body: endpointPatch, response: { 200: endpointView } },
    },
    (request) => updateEndpoint(ctx.store, adminTenant(request), request.params.id, request.body),
  );

  app.delete(
    '/api/v1/webhook-endpoints/:id',
    { config: admin, schema: { tags, summary: 'Remove an endpoint and its delivery log', params: idParams } },
    async (request, reply) => {
      await deleteEndpoint(ctx.store, adminTenant(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/webhook-endpoints/:id/secret',
    {
      config: admin,
      schema: { tags, summary: 'Replace the signing secret (shown once)', params: idParams, response: { 200: z.object({ secret: z.string() }) } },
    },
    (request) => rotateSecret(ctx.store, adminTenant(request), request.params.id),
  );

  app.post(
    '/api/v1/webhook-endpoints/:id/test',
    {
      config: admin,
      schema: { tags, summary: 'Send a webhook.ping', params: idParams, response: { 202: z.object({ deliveryId: z.string() }) } },
    },
    async (request, reply) => reply.status(202).send(await sendPing(ctx.store, adminTenant(request), request.params.id)),
  );

  app.get(
    '/api/v1/webhook-endpoints/:id/deliveries',
    {
      config: admin,
      schema: { tags, summary: 'Delivery log, newest first', params: idParams, querystring: pageQuery, response: { 200: pageOf(deliveryView) } },
    },
    async (request) => {
      const tenantId = adminTenant(request);
      await getEndpoint(ctx.store, tenantId, request.params.id);
      const { limit, cursor } = request.query;
      const [at, id] = decodeCursor(cursor) ?? [];
      const before: [string, string] | undefined = typeof at === 'string' && typeof id === 'string' ? [at, id] : undefined;
      const rows = await listDeliveries(ctx.store, tenantId, request.params.id, { limit: limit + 1, before });
      return toPage(rows, limit, (r) => [r.createdAt, r.id]);
    },
  );
};
