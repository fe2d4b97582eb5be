import type { FastifyReply, FastifyRequest } from 'fastify';
import { allAllowedOrigins, authenticateSession, type ExtensionRow, type SessionPrincipal, type SsoDeps } from '../sso/index.js';
import { AppError } from '../errors.js';
import type { AppContext, ZodApp } from './context.js';

/** The signed-in user of a client route (`/api/v1/me…`). */
export interface UserSession {
  principal: SessionPrincipal;
  extension: ExtensionRow;
  accessToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    userSession: UserSession | null;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** The signed-in user; only call in handlers that have `requireUserSession` as a hook. */
export function userSession(request: FastifyRequest): UserSession {
  if (!request.userSession) throw new AppError('session_required', 'This route needs a session from single sign-on.');
  return request.userSession;
}

/** onRequest hook: `Authorization: Bearer <access token>` from /api/v1/sso/token or /sso/callback. */
export function requireUserSession(deps: SsoDeps) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!token) {
      throw new AppError('session_required', 'This route needs a session from single sign-on.', {
        hint: 'Sign in (POST /api/v1/sso/token or GET /sso/login) and send Authorization: Bearer <accessToken>.',
      });
    }
    const { principal, extension } = await authenticateSession(deps, token);
    request.userSession = { principal, extension, accessToken: token };
  };
}

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, PUT, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, last-event-id, x-request-id',
  'access-control-max-age': '600',
};

/**
 * CORS for the client API: web clients on an origin listed in any tenant's SSO `allowedOrigins`
 * may call it with bearer tokens (never cookies, so no credentials mode). Other origins get no
 * CORS headers and the browser blocks them.
 */
export function clientCors(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = request.headers.origin;
    void reply.header('vary', 'origin');
    if (!origin || !(await allAllowedOrigins(ctx.store)).has(origin)) return;
    void reply.header('access-control-allow-origin', origin);
    void reply.header('access-control-expose-headers', 'x-request-id');
    if (request.method === 'OPTIONS') void reply.headers(PREFLIGHT_HEADERS);
  };
}

/** Answers CORS preflights for the client API's paths. */
export function installClientPreflight(app: ZodApp, ctx: AppContext, paths: string[]): void {
  const cors = clientCors(ctx);
  for (const url of paths) {
    app.options(url, { onRequest: cors, schema: { hide: true } }, (_request, reply) => reply.status(204).send());
  }
}

export function decorateUserSession(app: ZodApp): void {
  app.decorateRequest('userSession', null);
}
