import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  cancelRun,
  confirmRun,
  createExtension,
  deleteExtension,
  deleteExtensionGroup,
  extensionCreate,
  extensionGroupView,
  extensionPatch,
  extensionView,
  getAvatar,
  getExtension,
  getRun,
  GROUP_SYNC,
  groupSyncChanges,
  groupSyncSettings,
  listExtensionGroups,
  listExtensions,
  listRuns,
  patchExtension,
  pickerItem,
  pickGroups,
  readSettings,
  runView,
  saveGroupSync,
  saveUserSync,
  startSync,
  USER_SYNC,
  userSyncChanges,
  userSyncSettings,
  type SavedSettings,
} from '../../directory/index.js';
import { adminTenant } from '../auth.js';
import type { RouteModule } from '../context.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.js';

const admin = { admin: true };
const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const pauseQuery = z.strictObject({ onDisable: z.enum(['keep', 'delete']).default('keep') });
const keyPair = (cursor: string | undefined): [string, string] | undefined => {
  const [a, b] = decodeCursor(cursor) ?? [];
  return typeof a === 'string' && typeof b === 'string' ? [a, b] : undefined;
};

/** A settings save that started a run names it in `x-sync-run-id`. */
function withRunHeader<T>(reply: FastifyReply, saved: SavedSettings<T>): T {
  if (saved.runId) void reply.header('x-sync-run-id', saved.runId);
  return saved.settings;
}

/** Settings of user and group sync, sync runs, and the directory they produce. */
export const directoryRoutes: RouteModule = (app, ctx) => {
  const settingsTags = ['settings'];
  app.get('/api/v1/settings/user-sync', { config: admin, schema: { tags: settingsTags, summary: 'User sync settings', response: { 200: userSyncSettings } } }, (request) =>
    readSettings(ctx.store, adminTenant(request), USER_SYNC),
  );
  app.put(
    '/api/v1/settings/user-sync',
    { config: admin, schema: { tags: settingsTags, summary: 'Change user sync settings; omitted fields keep their saved values (first save: defaults, starts the initial sync). enabled:false pauses keeping every rule (onDisable=keep|delete); paused settings are read-only until enabled:true', body: userSyncChanges, querystring: pauseQuery, response: { 200: userSyncSettings } } },
    async (request, reply) => withRunHeader(reply, await saveUserSync(ctx, adminTenant(request), request.body, request.query.onDisable)),
  );
  app.get('/api/v1/settings/group-sync', { config: admin, schema: { tags: settingsTags, summary: 'Group sync settings', response: { 200: groupSyncSettings } } }, (request) =>
    readSettings(ctx.store, adminTenant(request), GROUP_SYNC),
  );
  app.put(
    '/api/v1/settings/group-sync',
    { config: admin, schema: { tags: settingsTags, summary: 'Change group sync settings; omitted fields keep their saved values. enabled:false pauses keeping every rule (onDisable=keep|delete); paused settings are read-only until enabled:true', body: groupSyncChanges, querystring: pauseQuery, response: { 200: groupSyncSettings } } },
    async (request, reply) => withRunHeader(reply, await saveGroupSync(ctx, adminTenant(request), request.body, request.query.onDisable)),
  );

  const runTags = ['sync'];
  app.post(
    '/api/v1/sync-runs',
    { config: admin, schema: { tags: runTags, summary: 'Sync now; while a run is going, queued to start when it ends (one waits per tenant: later requests get its id)', body: z.strictObject({ full: z.boolean().optional() }).nullish(), response: { 202: z.object({ id: z.string() }) } } },
    async (request, reply) => {
      const id = await startSync(ctx, adminTenant(request), { trigger: 'manual', full: request.body?.full === true, queue: true });
      return reply.status(202).send({ id });
    },
  );
  app.get('/api/v1/sync-runs', { config: admin, schema: { tags: runTags, summary: 'Run log, newest first', querystring: pageQuery, response: { 200: pageOf(runView) } } }, async (request) => {
    const { limit, cursor } = request.query;
    const runs = await listRuns(ctx.store, adminTenant(request), limit + 1, keyPair(cursor));
    return toPage(runs, limit, (r) => [r.createdAt, r.id]);
  });
  app.get('/api/v1/sync-runs/:id', { config: admin, schema: { tags: runTags, summary: 'One run with live progress, counts and problems', params: idParams, response: { 200: runView } } }, (request) =>
    getRun(ctx.store, adminTenant(request), request.params.id),
  );
  app.post('/api/v1/sync-runs/:id/confirm', { config: admin, schema: { tags: runTags, summary: 'Confirm a run held by the deletion guard', params: idParams, response: { 200: runView } } }, (request) =>
    confirmRun(ctx, adminTenant(request), request.params.id),
  );
  app.post('/api/v1/sync-runs/:id/cancel', { config: admin, schema: { tags: runTags, summary: 'Drop a held run, or a queued one before it starts', params: idParams, response: { 200: runView } } }, (request) =>
    cancelRun(ctx, adminTenant(request), request.params.id),
  );

  const dirTags = ['directory'];
  const extQuery = pageQuery.extend({ q: z.string().max(100).optional(), source: z.enum(['entra', 'local']).optional() });
  app.get('/api/v1/extensions', { config: admin, schema: { tags: dirTags, summary: 'Extensions by number; q searches number, name, email', querystring: extQuery, response: { 200: pageOf(extensionView) } } }, async (request) => {
    const { limit, cursor, q, source } = request.query;
    const rows = await listExtensions(ctx.store, adminTenant(request), { limit: limit + 1, after: keyPair(cursor), q, source });
    return toPage(rows, limit, (r) => [r.number, r.id]);
  });
  app.post('/api/v1/extensions', { config: admin, schema: { tags: dirTags, summary: 'Create a local extension', body: extensionCreate, response: { 201: extensionView } } }, async (request, reply) =>
    reply.status(201).send(await createExtension(ctx.store, adminTenant(request), request.body)),
  );
  app.get('/api/v1/extensions/:id', { config: admin, schema: { tags: dirTags, summary: 'One extension', params: idParams, response: { 200: extensionView } } }, (request) =>
    getExtension(ctx.store, adminTenant(request), request.params.id),
  );
  app.get(
    '/api/v1/extensions/:id/avatar',
    { config: admin, schema: { tags: dirTags, summary: "The synced user's profile photo (user sync photoAsAvatar); 404 when there is none", params: idParams } },
    async (request, reply) => {
      const avatar = await getAvatar(ctx.store, adminTenant(request), request.params.id);
      reply.header('etag', avatar.etag).header('cache-control', 'private, no-cache');
      if (request.headers['if-none-match'] === avatar.etag) return reply.status(304).send();
      return reply.type(avatar.contentType).send(avatar.bytes);
    },
  );
  app.patch('/api/v1/extensions/:id', { config: admin, schema: { tags: dirTags, summary: 'Change an extension (synced ones: only unlocked fields)', params: idParams, body: extensionPatch, response: { 200: extensionView } } }, (request) =>
    patchExtension(ctx.store, adminTenant(request), request.params.id, request.body),
  );
  app.delete('/api/v1/extensions/:id', { config: admin, schema: { tags: dirTags, summary: 'Delete a local extension (synced ones cannot be)', params: idParams } }, async (request, reply) => {
    await deleteExtension(ctx.store, adminTenant(request), request.params.id);
    return reply.status(204).send();
  });
  app.get('/api/v1/extension-groups', { config: admin, schema: { tags: dirTags, summary: 'Extension groups with members', querystring: pageQuery, response: { 200: pageOf(extensionGroupView) } } }, async (request) => {
    const { limit, cursor } = request.query;
    const rows = await listExtensionGroups(ctx.store, adminTenant(request), { limit: limit + 1, after: keyPair(cursor) });
    return toPage(rows, limit, (r) => [r.name, r.id]);
  });
  app.delete('/api/v1/extension-groups/:id', { config: admin, schema: { tags: dirTags, summary: 'Delete a local extension group', params: idParams } }, async (request, reply) => {
    await deleteExtensionGroup(ctx.store, adminTenant(request), request.params.id);
    return reply.status(204).send();
  });
  app.get(
    '/api/v1/directory/groups',
    { config: admin, schema: { tags: dirTags, summary: 'Entra groups for the group picker (paged by Graph, name prefix search)', querystring: z.strictObject({ search: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(999).default(50), cursor: z.string().max(4000).optional() }), response: { 200: pageOf(pickerItem) } } },
    (request) => pickGroups(ctx, adminTenant(request), request.query),
  );
};
