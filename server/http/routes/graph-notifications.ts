import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, registerErrorCodes } from '../../errors.js';
import { acceptLifecycle, acceptNotifications, notificationBody, validationToken } from '../../jobs/index.js';
import type { Store } from '../../store/index.js';
import type { RouteModule } from '../context.js';

registerErrorCodes({ notification_rejected: 403 });

const query = z.object({ validationToken: z.string().optional() });
type Accept = typeof acceptNotifications;

/**
 * Graph's validation handshake: echo the (URL-decoded) token as text/plain with 200, well within
 * Graph's 10 s. Malformed tokens are refused and logged, never echoed or logged themselves.
 * https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation
 */
function answerValidation(request: FastifyRequest, reply: FastifyReply, token: string) {
  const parsed = validationToken.safeParse(token);
  if (!parsed.success) {
    request.log.warn({ ip: request.ip, length: token.length }, 'Graph validation request rejected: malformed validationToken');
    throw new AppError('validation_failed', 'validationToken must be 1–1024 printable ASCII characters.', {
      fields: [{ path: 'querystring.validationToken', message: 'malformed' }],
    });
  }
  return reply.status(200).type('text/plain; charset=utf-8').send(parsed.data);
}

/** Persist first (a queued job), then 202 — Graph wants an answer within 3 s. */
async function receive(store: Store, accept: Accept, request: FastifyRequest, reply: FastifyReply) {
  const parsed = notificationBody.safeParse(request.body);
  if (!parsed.success) {
    request.log.warn({ ip: request.ip }, 'Graph notification rejected: not a notification collection');
    throw new AppError('validation_failed', 'The body must be a Graph notification collection {"value":[…]}.');
  }
  const accepted = await accept(store, parsed.data, { ip: request.ip, log: request.log });
  if (accepted === 0 && parsed.data.value.length > 0) {
    throw new AppError('notification_rejected', 'No notification in the request belongs to a subscription of this server.');
  }
  return reply.status(202).send();
}

/** Graph change notifications and lifecycle notifications in (no admin auth: clientState authenticates). */
export const graphNotificationRoutes: RouteModule = (app, ctx) => {
  const schema = { tags: ['graph'], summary: 'Microsoft Graph change notifications (called by Graph)', querystring: query };
  app.post('/graph/notifications', { schema }, (request, reply) =>
    request.query.validationToken !== undefined
      ? answerValidation(request, reply, request.query.validationToken)
      : receive(ctx.store, acceptNotifications, request, reply),
  );
  app.post('/graph/lifecycle', { schema: { ...schema, summary: 'Microsoft Graph lifecycle notifications (called by Graph)' } }, (request, reply) =>
    request.query.validationToken !== undefined
      ? answerValidation(request, reply, request.query.validationToken)
      : receive(ctx.store, acceptLifecycle, request, reply),
  );
};
