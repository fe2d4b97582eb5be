import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics/index.js';
import type { Store } from '../store/index.js';

/** What route modules get: the validated config and the shared services. */
export interface AppContext {
  config: Config;
  store: Store;
  metrics: Metrics;
  /** Set once the background services have started: before that the instance is not ready (/readyz). */
  servicesStarted: boolean;
}

export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** A group of routes; registered by `routes/index.ts`. */
export type RouteModule = (app: ZodApp, ctx: AppContext) => void | Promise<void>;
