import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { hashToken } from '../store/index.js';
import { installAdminAuth } from './auth.js';
import type { AppContext, ZodApp } from './context.js';
import { installErrorHandling } from './errors.js';
import { loggerOptions } from './logging.js';
import { routeModules } from './routes/index.js';

export interface AppOptions {
  /** Where logs go (tests capture them to check redaction); stdout by default. */
  logStream?: DestinationStream;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

function installRequestMetrics(app: ZodApp, ctx: AppContext): void {
  const requests = ctx.metrics.counter('ucbridge_http_requests_total', 'HTTP requests by route and status');
  const duration = ctx.metrics.histogram('ucbridge_http_request_duration_seconds', 'HTTP request duration');
  app.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched' };
    requests.inc({ ...labels, status: String(reply.statusCode) });
    duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}

/** Builds the Fastify app: security headers, validation, auth, routes, error envelope. */
export async function createApp(ctx: AppContext, options: AppOptions = {}): Promise<ZodApp> {
  const app = Fastify({
    logger: loggerOptions(ctx.config.logLevel, options.logStream),
    trustProxy: ctx.config.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });

  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'ucbridge API', version: '1' },
      components: {
        securitySchemes: {
          admin: { type: 'http', scheme: 'bearer', description: 'Admin token' },
          session: { type: 'http', scheme: 'bearer', description: 'SSO session access token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  installRequestMetrics(app, ctx);
  installAdminAuth(app, ctx);
  for (const module of routeModules) await module(app, ctx);
  return app;
}

/** Route config for sign-in endpoints: a per-client request budget against guessing. */
export function authRateLimit(ctx: AppContext) {
  return { rateLimit: { max: ctx.config.authRateLimit, timeWindow: '1 minute' } };
}

/**
 * Route config for refresh and logout: the same budget, per sign-in (keyed by the refresh token's
 * hash, read once the body is parsed) rather than per address. Behind a proxy or an office NAT every
 * client shares one address, and a refresh token cannot be guessed.
 */
export function sessionRateLimit(ctx: AppContext) {
  const keyGenerator = (request: FastifyRequest) => {
    const token = (request.body as { refreshToken?: unknown } | undefined)?.refreshToken;
    return typeof token === 'string' ? `sign-in:${hashToken(token)}` : request.ip;
  };
  return { rateLimit: { max: ctx.config.authRateLimit, timeWindow: '1 minute', hook: 'preHandler' as const, keyGenerator } };
}
