import type { FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_SESSION_MAX_MS, csrfMatches, type adminSessionRepo, type OpenedAdminSession } from '../admin-session/index.js';
import { AppError, registerErrorCodes } from '../errors.js';
import type { AdminPrincipal } from './auth.js';
import { readCookie, serializeCookie } from './cookies.js';

registerErrorCodes({ admin_session_invalid: 401, csrf_token_invalid: 403 });

/** HttpOnly cookie carrying the page session; only API routes need it. */
export const SESSION_COOKIE = 'ucb_admin_session';
/** Readable by the page, which echoes it in CSRF_HEADER (double submit). */
export const CSRF_COOKIE = 'ucb_admin_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type SessionRepo = ReturnType<typeof adminSessionRepo>;

export const hasSessionCookie = (request: FastifyRequest): boolean => readCookie(request, SESSION_COOKIE) !== undefined;

/**
 * The admin behind a page-session cookie. Changes must carry the CSRF token twice — in the
 * header and in its cookie — and it must be the one issued with this session, so another site
 * can neither forge the header nor plant a cookie of its own.
 */
export async function pageSessionPrincipal(request: FastifyRequest, sessions: SessionRepo): Promise<AdminPrincipal> {
  const token = readCookie(request, SESSION_COOKIE) ?? '';
  const session = await sessions.verify(token);
  if (!session) {
    throw new AppError('admin_session_invalid', 'Your admin page session has ended.', {
      hint: 'Sign in again with the admin token.',
    });
  }
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    const sent = typeof header === 'string' ? header : undefined;
    if (!sent || sent !== readCookie(request, CSRF_COOKIE) || !csrfMatches(session, sent)) {
      throw new AppError('csrf_token_invalid', `This change needs the ${CSRF_HEADER} header of your page session.`, {
        hint: 'Reload the admin page; if that does not help, sign in again.',
      });
    }
  }
  return { tenantId: session.tenantId, label: session.label, sessionId: session.id };
}

/** Secure cookies whenever the page was reached over HTTPS (directly or behind a trusted proxy). */
const secure = (request: FastifyRequest): boolean => request.protocol === 'https';

export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, opened: OpenedAdminSession): void {
  const maxAge = Math.floor(ADMIN_SESSION_MAX_MS / 1000);
  void reply.header('set-cookie', [
    serializeCookie(SESSION_COOKIE, opened.token, { path: '/api/', maxAge, httpOnly: true, secure: secure(request) }),
    serializeCookie(CSRF_COOKIE, opened.csrfToken, { path: '/', maxAge, httpOnly: false, secure: secure(request) }),
  ]);
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('set-cookie', [
    serializeCookie(SESSION_COOKIE, '', { path: '/api/', maxAge: 0, httpOnly: true, secure: secure(request) }),
    serializeCookie(CSRF_COOKIE, '', { path: '/', maxAge: 0, httpOnly: false, secure: secure(request) }),
  ]);
}
