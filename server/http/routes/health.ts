import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { RouteModule } from '../context.js';

/** Liveness, readiness, Prometheus metrics and the OpenAPI description. */
export const healthRoutes: RouteModule = (app, ctx) => {
  app.get('/healthz', { schema: { hide: true } }, () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async () => {
    if (!(await ctx.store.ping())) throw new AppError('not_ready', 'The database is not reachable.');
    return { status: 'ready', database: ctx.store.dialect };
  });

  app.get('/metrics', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/plain; version=0.0.4').send(ctx.metrics.render()),
  );

  app.get('/openapi.json', { schema: { hide: true, response: { 200: z.any() } } }, () => app.swagger());
};
