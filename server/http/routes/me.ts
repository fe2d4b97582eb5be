import { z } from 'zod';
import { contactView, searchVisibleContacts } from '../../contacts/index.js';
import {
  completeMapping,
  extensionStatus,
  extensionStatusRepo,
  extensionStatusView,
  presenceMapping,
  presenceMappingInput,
  presenceMappingRepo,
} from '../../presence/index.js';
import { setOwnStatus, type SsoDeps } from '../../sso/index.js';
import { clientCors, decorateUserSession, installClientPreflight, requireUserSession, userSession } from '../client-auth.js';
import type { RouteModule } from '../context.js';
import { meView, toMeView } from '../me-view.js';
import { decodeCursor, pageOf, toPage } from '../paging.js';
import { streamStatus } from '../status-stream.js';

const contactsQuery = z.strictObject({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** The client API: what a signed-in user reads and changes about themselves. */
export const meRoutes: RouteModule = (app, ctx) => {
  const deps: SsoDeps = { store: ctx.store, config: ctx.config };
  const onRequest = [clientCors(ctx), requireUserSession(deps)];
  const tags = ['me'];
  const security = [{ session: [] }];
  decorateUserSession(app);
  installClientPreflight(app, ctx, ['/api/v1/me', '/api/v1/me/*']);

  app.get('/api/v1/me', { onRequest, schema: { tags, security, summary: 'The signed-in user and their extension', response: { 200: meView } } }, (request) =>
    toMeView(userSession(request).extension),
  );

  app.get(
    '/api/v1/me/presence-mapping',
    { onRequest, schema: { tags, security, summary: 'How my Teams presence sets my extension status', response: { 200: presenceMapping } } },
    (request) => {
      const { tenantId, extensionId } = userSession(request).principal;
      return presenceMappingRepo(ctx.store.db).get(tenantId, extensionId);
    },
  );

  app.put(
    '/api/v1/me/presence-mapping',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Replace my presence mapping (missing availabilities take their defaults)',
        body: presenceMappingInput,
        response: { 200: presenceMapping },
      },
    },
    (request) => {
      const { tenantId, extensionId } = userSession(request).principal;
      return presenceMappingRepo(ctx.store.db).put(tenantId, extensionId, completeMapping(request.body));
    },
  );

  app.get(
    '/api/v1/me/status',
    { onRequest, schema: { tags, security, summary: 'My extension status', response: { 200: extensionStatusView } } },
    (request) => {
      const { tenantId, extensionId } = userSession(request).principal;
      return extensionStatusRepo(ctx.store.db).get(tenantId, extensionId);
    },
  );

  app.put(
    '/api/v1/me/status',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Set my extension status by hand (source "user"; presence sync leaves protected statuses alone)',
        body: z.strictObject({ status: extensionStatus }),
        response: { 200: extensionStatusView },
      },
    },
    (request) => setOwnStatus(ctx.store, userSession(request).principal, request.body.status, request.ip),
  );

  app.get(
    '/api/v1/me/status/stream',
    {
      onRequest,
      schema: { tags, security, summary: 'My extension status as Server-Sent Events (event "status"; resume with Last-Event-ID)' },
    },
    (request, reply) => streamStatus(deps, request, reply, userSession(request)),
  );

  app.get(
    '/api/v1/me/contacts',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'Search my personal and visible company phonebooks by name, company or number',
        querystring: contactsQuery,
        response: { 200: pageOf(contactView) },
      },
    },
    async (request) => {
      const { tenantId, extensionId } = userSession(request).principal;
      const { q, limit, cursor } = request.query;
      const [name, id] = decodeCursor(cursor) ?? [];
      const after: [string, string] | undefined = typeof name === 'string' && typeof id === 'string' ? [name, id] : undefined;
      const rows = await searchVisibleContacts(ctx.store.db, tenantId, extensionId, { q, limit, after });
      return toPage(rows, limit, (r) => [r.displayName, r.id]);
    },
  );
};
