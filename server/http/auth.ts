import type { FastifyReply, FastifyRequest } from 'fastify';
import { adminSessionRepo } from '../admin-session/index.js';
import { AppError } from '../errors.js';
import { adminTokenRepo, auditRepo } from '../store/index.js';
import { hasSessionCookie, pageSessionPrincipal } from './admin-session.js';
import type { AppContext, ZodApp } from './context.js';

export interface AdminPrincipal {
  tenantId: string;
  /** Shown in the audit log as `admin:<label>`. */
  label: string;
  /** Set when the admin came through an admin page session (cookie) rather than a token. */
  sessionId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    admin: AdminPrincipal | null;
  }
  interface FastifyContextConfig {
    /** Set on admin routes: requires an admin token and audits every change. */
    admin?: boolean;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * Admin authentication for every route whose config says `admin: true`, and the audit trail:
 * each successful change (POST/PUT/PATCH/DELETE) by an admin is recorded with who, what, when and
 * from where. Only the names of body fields are recorded, never their values (they may be secrets).
 */
export function installAdminAuth(app: ZodApp, ctx: AppContext): void {
  const tokens = adminTokenRepo(ctx.store.db);
  const audit = auditRepo(ctx.store.db);
  const sessions = adminSessionRepo(ctx.store.db);
  app.decorateRequest('admin', null);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.routeOptions.config.admin) return;
    const token = bearer(request);
    if (!token && hasSessionCookie(request)) {
      request.admin = await pageSessionPrincipal(request, sessions);
      return;
    }
    if (!token) {
      throw new AppError('admin_auth_required', 'This route needs an admin token.', {
        hint: 'Send Authorization: Bearer <admin token> (printed on first start, or UCBRIDGE_ADMIN_TOKEN), or sign in to the admin page.',
      });
    }
    const principal = await tokens.verify(token);
    if (!principal) throw new AppError('admin_token_invalid', 'The admin token is not valid.');
    request.admin = principal;
  });

  // Recorded before the response leaves, so a client that saw success can rely on the entry.
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!request.admin || request.method === 'GET' || request.method === 'HEAD') return payload;
    if (reply.statusCode >= 400) return payload;
    const body = request.body && typeof request.body === 'object' ? Object.keys(request.body) : [];
    await audit.record({
      tenantId: request.admin.tenantId,
      actor: `admin:${request.admin.label}`,
      action: `${request.method} ${request.routeOptions.url ?? request.url}`,
      target: JSON.stringify(request.params ?? {}),
      details: { fields: body, status: reply.statusCode, requestId: request.id },
      ip: request.ip,
    });
    return payload;
  });
}

/** The admin's tenant; only call on admin routes. */
export function adminTenant(request: FastifyRequest): string {
  if (!request.admin) throw new AppError('admin_auth_required', 'This route needs an admin token.');
  return request.admin.tenantId;
}
