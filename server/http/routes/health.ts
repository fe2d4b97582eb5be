import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { RouteModule } from '../context.js';

/** Liveness, readiness, Prometheus metrics and the OpenAPI description. */
export const healthRoutes: RouteModule = (app, ctx) => {
  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));

  // Ready once the background services run too: an instance that does not yet relay status changes
  // between instances (or run jobs) must not get clients from a load balancer.
  app.get('/readyz', { schema: { hide: true } }, async () => {
    if (!ctx.servicesStarted) throw new AppError('not_ready', 'The server is still starting its background services.');
    if (!(await ctx.store.ping())) throw new AppError('not_ready', 'The database is not reachable.');
    return { status: 'ready', database: ctx.store.dialect };
  });

  app.get('/metrics', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/plain; version=0.0.4').send(ctx.metrics.render()),
  );

  app.get('/openapi.json', { schema: { hide: true, response: { 200: z.any() } } }, () => app.swagger());
};
