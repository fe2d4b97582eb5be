import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, registerErrorCodes } from '../../errors.js';
import { windDownTenant } from '../../integration/index.js';
import { createTenant, deleteTenant, listTenants, tenantCreate, tenantView } from '../../tenants/index.js';
import type { AppContext, RouteModule } from '../context.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.js';

registerErrorCodes({ operator_auth_required: 401, operator_token_invalid: 401 });

const tags = ['tenants'];
const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const created = tenantView.extend({
  /** The tenant's first admin token, shown once: hand it to the tenant's admin. */
  adminToken: z.string(),
});

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Operator routes take `Authorization: Bearer <UCBRIDGE_OPERATOR_TOKEN>`; admin tokens never pass. */
function requireOperator(ctx: AppContext) {
  return (request: FastifyRequest): Promise<void> => {
    const expected = ctx.config.operatorToken;
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!expected || !match?.[1]) {
      return Promise.reject(
        new AppError('operator_auth_required', 'This route needs the operator token.', {
          hint: 'Set UCBRIDGE_OPERATOR_TOKEN on the server and send Authorization: Bearer <operator token>.',
        }),
      );
    }
    if (!timingSafeEqual(digest(match[1]), digest(expected))) {
      return Promise.reject(new AppError('operator_token_invalid', 'The operator token is not valid.'));
    }
    return Promise.resolve();
  };
}

/** The operator API of a multi-tenant deployment: tenants and their first admin token. */
export const tenantRoutes: RouteModule = (app, ctx) => {
  const onRequest = requireOperator(ctx);
  app.get(
    '/api/v1/tenants',
    { onRequest, schema: { tags, summary: 'Tenants (operator)', querystring: pageQuery, response: { 200: pageOf(tenantView) } } },
    async (request) => {
      const { limit, cursor } = request.query;
      const [createdAt, id] = decodeCursor(cursor) ?? [];
      const after = typeof createdAt === 'string' && typeof id === 'string' ? ([createdAt, id] as [string, string]) : undefined;
      const rows = await listTenants(ctx.store, { limit: limit + 1, after });
      return toPage(rows, limit, (r) => [r.createdAt, r.id]);
    },
  );

  app.post(
    '/api/v1/tenants',
    {
      onRequest,
      schema: { tags, summary: 'Create a tenant (its first admin token is shown once)', body: tenantCreate, response: { 201: created } },
    },
    async (request, reply) => reply.status(201).send(await createTenant(ctx.store, request.body)),
  );

  app.delete(
    '/api/v1/tenants/:id',
    { onRequest, schema: { tags, summary: 'Delete a tenant and all its data (operator)', params: idParams } },
    async (request, reply) => {
      const id = request.params.id;
      await deleteTenant(ctx.store, id, () => windDownTenant(ctx, id));
      return reply.status(204).send();
    },
  );
};
