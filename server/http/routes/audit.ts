import { z } from 'zod';
import { auditRepo } from '../../store/index.js';
import { adminTenant } from '../auth.js';
import type { RouteModule } from '../context.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.js';

const auditEntry = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string(),
  at: z.string(),
});

export const auditRoutes: RouteModule = (app, ctx) => {
  const audit = auditRepo(ctx.store.db);
  app.get(
    '/api/v1/audit-log',
    {
      config: { admin: true },
      schema: { tags: ['operations'], summary: 'Admin actions, newest first', querystring: pageQuery, response: { 200: pageOf(auditEntry) } },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const [at, id] = decodeCursor(cursor) ?? [];
      const before: [string, string] | undefined =
        typeof at === 'string' && typeof id === 'string' ? [at, id] : undefined;
      const rows = await audit.list(adminTenant(request), { limit: limit + 1, before });
      return toPage(rows, limit, (r) => [r.at, r.id]);
    },
  );
};
