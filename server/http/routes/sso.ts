import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEFAULT_TENANT } from '../../store/index.js';
import {
  exchangeIdToken,
  finishWebSignIn,
  getSsoSettings,
  issueNonce,
  logout,
  refreshSession,
  ssoSettings,
  startWebSignIn,
  updateSsoSettings,
  type SsoDeps,
  type WebSignInOutcome,
} from '../../sso/index.js';
import { authRateLimit, sessionRateLimit } from '../app.js';
import { adminTenant } from '../auth.js';
import { clientCors, installClientPreflight } from '../client-auth.js';
import type { RouteModule } from '../context.js';
import { readCookie } from '../cookies.js';
import { meView, sessionTokens, toMeView, toSessionTokens } from '../me-view.js';

/** Ties a web sign-in to the browser that started it (against login CSRF). */
const FLOW_COOKIE = 'ucb_sso_flow';

const tenant = z.string().min(1).max(100).default(DEFAULT_TENANT);
const token = z.string().min(10).max(20_000);

/** Lax, not Strict: the callback arrives as a cross-site top-level redirect from Entra. */
function flowCookie(request: FastifyRequest, value: string, maxAge: number): string {
  const parts = [`${FLOW_COOKIE}=${value}`, 'Path=/sso/', `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Lax'];
  if (request.protocol === 'https') parts.push('Secure');
  return parts.join('; ');
}

const origin = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;

/** The session (or the refusal) goes to the client in the URL fragment, which never reaches a server or a Referer. */
function fragmentFor(outcome: WebSignInOutcome): string {
  const values: Record<string, string> =
    'result' in outcome
      ? { ...Object.fromEntries(Object.entries(toSessionTokens(outcome.result.session)).map(([k, v]) => [k, String(v)])) }
      : { error: outcome.error.code, errorDescription: outcome.error.message };
  return new URLSearchParams(values).toString();
}

function redirectAway(reply: FastifyReply, url: string): FastifyReply {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(url, 302);
}

export const ssoRoutes: RouteModule = (app, ctx) => {
  const deps: SsoDeps = { store: ctx.store, config: ctx.config };
  const cors = clientCors(ctx);
  const audit = (request: FastifyRequest, flow: string) => ({ flow, ip: request.ip });
  installClientPreflight(app, ctx, ['/api/v1/sso/*']);

  app.get(
    '/api/v1/settings/sso',
    { config: { admin: true }, schema: { tags: ['settings'], summary: 'Single sign-on settings', response: { 200: ssoSettings } } },
    (request) => getSsoSettings(ctx.store, adminTenant(request)),
  );

  app.put(
    '/api/v1/settings/sso',
    {
      config: { admin: true },
      schema: {
        tags: ['settings'],
        summary: 'Replace the single sign-on settings (turning SSO off revokes every user session)',
        body: ssoSettings,
        response: { 200: ssoSettings },
      },
    },
    (request) => updateSsoSettings(ctx.store, adminTenant(request), request.body),
  );

  app.get(
    '/sso/login',
    {
      config: authRateLimit(ctx),
      schema: {
        tags: ['sso'],
        summary: 'Web-client sign-in: redirects to Microsoft (authorization code + PKCE); ends at returnTo with the session in the fragment',
        querystring: z.strictObject({ tenant, returnTo: z.url().max(2000).optional(), loginHint: z.string().max(320).optional() }),
      },
    },
    async (request, reply) => {
      const binder = randomBytes(24).toString('base64url');
      const url = await startWebSignIn(deps, { tenantId: request.query.tenant, ...audit(request, 'web') }, {
        origin: origin(request),
        returnTo: request.query.returnTo,
        loginHint: request.query.loginHint,
        browserBinder: binder,
      });
      void reply.header('set-cookie', flowCookie(request, binder, 600));
      return redirectAway(reply, url);
    },
  );

  app.get(
    '/sso/callback',
    {
      config: authRateLimit(ctx),
      schema: {
        tags: ['sso'],
        summary: 'Redirect URI of the web-client sign-in (register it in the Entra app as a Web redirect URI)',
        // Not strict: Entra adds parameters of its own (session_state, client_info…).
        querystring: z.object({
          state: z.string().max(500).optional(),
          code: z.string().max(5000).optional(),
          error: z.string().max(200).optional(),
        }),
      },
    },
    async (request, reply) => {
      const outcome = await finishWebSignIn(deps, { tenantId: DEFAULT_TENANT, ...audit(request, 'web') }, {
        state: request.query.state,
        code: request.query.code,
        error: request.query.error,
        browserBinder: readCookie(request, FLOW_COOKIE),
      });
      void reply.header('set-cookie', flowCookie(request, '', 0));
      const target = new URL(outcome.returnTo);
      target.hash = fragmentFor(outcome);
      return redirectAway(reply, target.toString());
    },
  );

  app.post(
    '/api/v1/sso/nonce',
    {
      config: authRateLimit(ctx),
      onRequest: cors,
      schema: {
        tags: ['sso'],
        summary:
          'A single-use nonce for an SDK sign-in (pass it to MSAL, then to /api/v1/sso/token), with the public sign-in parameters (Entra client id and authority)',
        body: z.strictObject({ tenant }).default({ tenant: DEFAULT_TENANT }),
        response: { 201: z.object({ nonce: z.string(), clientId: z.string(), authority: z.string() }) },
      },
    },
    async (request, reply) => {
      const challenge = await issueNonce(deps, { tenantId: request.body.tenant, ...audit(request, 'token') });
      return reply.status(201).send(challenge);
    },
  );

  app.post(
    '/api/v1/sso/token',
    {
      config: authRateLimit(ctx),
      onRequest: cors,
      schema: {
        tags: ['sso'],
        summary: 'Exchange a Microsoft ID token (from MSAL in the browser) for a PBX session',
        body: z.strictObject({ idToken: token, nonce: z.string().min(10).max(200).optional(), tenant }),
        response: { 201: sessionTokens.extend({ me: meView }) },
      },
    },
    async (request, reply) => {
      const { idToken, nonce, tenant: tenantId } = request.body;
      const result = await exchangeIdToken(deps, { tenantId, ...audit(request, 'token') }, { idToken, nonce });
      return reply.status(201).send({ ...toSessionTokens(result.session), me: toMeView(result.extension) });
    },
  );

  app.post(
    '/api/v1/sso/refresh',
    {
      config: sessionRateLimit(ctx),
      onRequest: cors,
      schema: {
        tags: ['sso'],
        summary: 'Rotate the refresh token for a new session (reusing an old refresh token revokes the sign-in)',
        body: z.strictObject({ refreshToken: token }),
        response: { 200: sessionTokens },
      },
    },
    async (request) => toSessionTokens(await refreshSession(deps, audit(request, 'refresh'), request.body.refreshToken)),
  );

  app.post(
    '/api/v1/sso/logout',
    {
      config: sessionRateLimit(ctx),
      onRequest: cors,
      schema: {
        tags: ['sso'],
        summary: 'End the sign-in a refresh (or access) token belongs to',
        body: z.strictObject({ refreshToken: token }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await logout(deps, audit(request, 'logout'), request.body.refreshToken);
      return reply.status(204).send(null);
    },
  );
};
