import { z } from 'zod';
import {
  bulkMappingInput,
  callStateView,
  callState,
  extensionStatusView,
  getExtensionMapping,
  getExtensionStatus,
  getPresenceSyncSettings,
  listPresenceHealth,
  manualStatusInput,
  presenceHealthItem,
  presenceMapping,
  presenceMappingInput,
  presenceSyncSettings,
  putExtensionMapping,
  putExtensionStatus,
  putMappingsInBulk,
  savePresenceSyncSettings,
  setCallState,
} from '../../presence/index.js';
import { adminTenant } from '../auth.js';
import type { RouteModule } from '../context.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.js';

const admin = { admin: true };
const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const healthQuery = pageQuery.extend({ errorsOnly: z.enum(['true', 'false']).optional() });

/** Presence sync, admin side: settings, per-user mappings and statuses, PBX call state, health. */
export const presenceRoutes: RouteModule = (app, ctx) => {
  const tags = ['presence'];
  app.get(
    '/api/v1/settings/presence-sync',
    { config: admin, schema: { tags: ['settings'], summary: 'Presence sync settings', response: { 200: presenceSyncSettings } } },
    (request) => getPresenceSyncSettings(ctx.store, adminTenant(request)),
  );
  app.put(
    '/api/v1/settings/presence-sync',
    { config: admin, schema: { tags: ['settings'], summary: 'Save presence sync settings (missing fields take their defaults)', body: presenceSyncSettings, response: { 200: presenceSyncSettings } } },
    (request) => savePresenceSyncSettings(ctx.store, adminTenant(request), request.body),
  );

  app.get(
    '/api/v1/extensions/:id/presence-mapping',
    { config: admin, schema: { tags, summary: "A user's presence mapping", params: idParams, response: { 200: presenceMapping } } },
    (request) => getExtensionMapping(ctx.store, adminTenant(request), request.params.id),
  );
  app.put(
    '/api/v1/extensions/:id/presence-mapping',
    { config: admin, schema: { tags, summary: "Replace a user's presence mapping (applies at the next poll)", params: idParams, body: presenceMappingInput, response: { 200: presenceMapping } } },
    (request) => putExtensionMapping(ctx.store, adminTenant(request), request.params.id, request.body),
  );
  app.put(
    '/api/v1/presence-mappings',
    { config: admin, schema: { tags, summary: 'Set one presence mapping for many users (ids, or "all" synced users)', body: bulkMappingInput, response: { 200: z.object({ updated: z.number() }) } } },
    (request) => putMappingsInBulk(ctx.store, adminTenant(request), request.body),
  );

  app.get(
    '/api/v1/extensions/:id/status',
    { config: admin, schema: { tags, summary: "An extension's status", params: idParams, response: { 200: extensionStatusView } } },
    (request) => getExtensionStatus(ctx.store, adminTenant(request), request.params.id),
  );
  app.put(
    '/api/v1/extensions/:id/status',
    { config: admin, schema: { tags, summary: 'Set a status by hand (admin or PBX); protected ones are kept from Teams and calendar', params: idParams, body: manualStatusInput, response: { 200: extensionStatusView } } },
    (request) => putExtensionStatus(ctx.store, adminTenant(request), request.params.id, request.body),
  );
  app.put(
    '/api/v1/extensions/:id/call-state',
    {
      config: admin,
      schema: { tags, summary: "The PBX reports a call state; the user's Teams presence follows (reverse: true)", params: idParams, body: z.strictObject({ state: callState }), response: { 200: callStateView } },
    },
    (request) => setCallState(ctx, adminTenant(request), request.params.id, request.body.state),
  );

  app.get(
    '/api/v1/presence/health',
    { config: admin, schema: { tags, summary: 'Per-user presence health: last Teams value, last update, source, last error', querystring: healthQuery, response: { 200: pageOf(presenceHealthItem) } } },
    async (request) => {
      const { limit, cursor, errorsOnly } = request.query;
      const [afterId] = decodeCursor(cursor) ?? [];
      const rows = await listPresenceHealth(ctx.store, adminTenant(request), {
        limit,
        afterId: typeof afterId === 'string' ? afterId : undefined,
        errorsOnly: errorsOnly === 'true',
      });
      return toPage(rows, limit, (r) => [r.extensionId]);
    },
  );
};
