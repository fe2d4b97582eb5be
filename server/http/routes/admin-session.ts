import { z } from 'zod';
import { adminSessionRepo } from '../../admin-session/index.js';
import { AppError } from '../../errors.js';
import { adminTokenRepo, auditRepo } from '../../store/index.js';
import { clearSessionCookies, setSessionCookies } from '../admin-session.js';
import { authRateLimit } from '../app.js';
import type { RouteModule } from '../context.js';

const signIn = z.strictObject({ token: z.string().min(1).max(500) });
const sessionView = z.object({
  label: z.string(),
  /** How this request was authenticated. */
  via: z.enum(['session', 'token']),
});

/** Sign-in to the admin page: the admin token is exchanged for an HttpOnly session cookie. */
export const adminSessionRoutes: RouteModule = (app, ctx) => {
  const tokens = adminTokenRepo(ctx.store.db);
  const sessions = adminSessionRepo(ctx.store.db);
  const audit = auditRepo(ctx.store.db);

  app.post(
    '/api/v1/admin/session',
    {
      config: authRateLimit(ctx),
      schema: {
        tags: ['admin page'],
        summary: 'Sign in to the admin page with the admin token (sets the session and CSRF cookies)',
        body: signIn,
        response: { 201: sessionView },
      },
    },
    async (request, reply) => {
      const principal = await tokens.verify(request.body.token);
      if (!principal) throw new AppError('admin_token_invalid', 'The admin token is not valid.');
      const opened = await sessions.open(principal.tenantId, principal.label);
      await audit.record({
        tenantId: principal.tenantId,
        actor: `admin:${principal.label}`,
        action: 'POST /api/v1/admin/session',
        target: '{}',
        details: { fields: [], status: 201, requestId: request.id },
        ip: request.ip,
      });
      setSessionCookies(request, reply, opened);
      return reply.status(201).send({ label: principal.label, via: 'session' as const });
    },
  );

  app.get(
    '/api/v1/admin/session',
    {
      config: { admin: true },
      schema: { tags: ['admin page'], summary: 'Who is signed in', response: { 200: sessionView } },
    },
    (request) => {
      const admin = request.admin;
      if (!admin) throw new AppError('admin_auth_required', 'This route needs an admin token.');
      return { label: admin.label, via: admin.sessionId ? ('session' as const) : ('token' as const) };
    },
  );

  app.delete(
    '/api/v1/admin/session',
    {
      config: { admin: true },
      schema: { tags: ['admin page'], summary: 'Sign out of the admin page', response: { 204: z.null() } },
    },
    async (request, reply) => {
      if (request.admin?.sessionId) await sessions.close(request.admin.sessionId);
      clearSessionCookies(request, reply);
      return reply.status(204).send(null);
    },
  );
};
