import { z } from 'zod';
import {
  contactSyncSettings,
  contactView,
  getContactSyncSettings,
  getPhonebook,
  getVisibility,
  listPhonebooks,
  listSharedMailboxes,
  phonebookContacts,
  phonebookListQuery,
  phonebookView,
  saveContactSync,
  setVisibility,
  sharedMailboxView,
  startContactSync,
  visibilityBody,
  visibilityView,
  type After,
} from '../../contacts/index.js';
import { graphForTenant } from '../../graph/index.js';
import { adminTenant } from '../auth.js';
import type { RouteModule } from '../context.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.js';

const admin = { admin: true };
const idParams = z.strictObject({ id: z.string().min(1).max(100) });
const search = { q: z.string().trim().max(100).optional() };

const after = (cursor: string | undefined): After => {
  const [a, b] = decodeCursor(cursor) ?? [];
  return typeof a === 'string' && typeof b === 'string' ? [a, b] : undefined;
};

/** Contact-sync settings and runs, shared mailboxes (picker), phonebooks, their contacts and visibility. */
export const contactRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/settings/contact-sync',
    { config: admin, schema: { tags: ['settings'], summary: 'Outlook contact sync settings', response: { 200: contactSyncSettings } } },
    (request) => getContactSyncSettings(ctx.store, adminTenant(request)),
  );
  app.put(
    '/api/v1/settings/contact-sync',
    {
      config: admin,
      schema: { tags: ['settings'], summary: 'Save contact sync settings (starts a contacts run, or queues one behind the running one; its id is in x-sync-run-id)', body: contactSyncSettings, response: { 200: contactSyncSettings } },
    },
    async (request, reply) => {
      const saved = await saveContactSync(ctx, adminTenant(request), request.body);
      if (saved.runId) void reply.header('x-sync-run-id', saved.runId);
      return saved.settings;
    },
  );
  app.post(
    '/api/v1/contact-sync-runs',
    {
      config: admin,
      schema: {
        tags: ['sync'],
        summary: 'Sync contacts now; while a contacts run is going, queued to start when it ends (one waits per tenant: later requests get its id). The run shows in GET /api/v1/sync-runs with kind "contacts"',
        body: z.strictObject({ full: z.boolean().optional() }).nullish(),
        response: { 202: z.object({ id: z.string() }) },
      },
    },
    async (request, reply) => {
      const id = await startContactSync(ctx, adminTenant(request), { trigger: 'manual', full: request.body?.full === true, queue: true });
      return reply.status(202).send({ id });
    },
  );
  app.get(
    '/api/v1/shared-mailboxes',
    { config: admin, schema: { tags: ['contacts'], summary: 'Shared mailboxes in Entra ID (picker for contact sync)', querystring: pageQuery.extend(search), response: { 200: pageOf(sharedMailboxView) } } },
    async (request) => {
      const { limit, cursor, q } = request.query;
      const graph = await graphForTenant(ctx, adminTenant(request));
      const needle = q?.toLowerCase();
      const position = after(cursor);
      const all = (await listSharedMailboxes(graph)).filter(
        (m) =>
          (!needle || m.displayName.toLowerCase().includes(needle) || (m.mail ?? '').toLowerCase().includes(needle)) &&
          (!position || m.displayName > position[0] || (m.displayName === position[0] && m.id > position[1])),
      );
      return toPage(all.slice(0, limit + 1), limit, (m) => [m.displayName, m.id]);
    },
  );
  app.get(
    '/api/v1/phonebooks',
    { config: admin, schema: { tags: ['contacts'], summary: 'Phonebooks by name (personal and company)', querystring: pageQuery.extend(phonebookListQuery.shape), response: { 200: pageOf(phonebookView) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      const rows = await listPhonebooks(ctx.store.db, adminTenant(request), filter, limit, after(cursor));
      return toPage(rows, limit, (p) => [p.name, p.id]);
    },
  );
  app.get(
    '/api/v1/phonebooks/:id',
    { config: admin, schema: { tags: ['contacts'], summary: 'One phonebook', params: idParams, response: { 200: phonebookView } } },
    (request) => getPhonebook(ctx.store.db, adminTenant(request), request.params.id),
  );
  app.get(
    '/api/v1/phonebooks/:id/contacts',
    { config: admin, schema: { tags: ['contacts'], summary: 'Contacts of a phonebook by name; q searches name, company and number digits', params: idParams, querystring: pageQuery.extend(search), response: { 200: pageOf(contactView) } } },
    async (request) => {
      const { limit, cursor, q } = request.query;
      const rows = await phonebookContacts(ctx.store.db, adminTenant(request), request.params.id, { q, limit, after: after(cursor) });
      return toPage(rows, limit, (c) => [c.displayName, c.id]);
    },
  );
  app.get(
    '/api/v1/phonebooks/:id/visibility',
    { config: admin, schema: { tags: ['contacts'], summary: 'Extensions and extension groups that see a company phonebook', params: idParams, response: { 200: visibilityView } } },
    (request) => getVisibility(ctx.store.db, adminTenant(request), request.params.id),
  );
  app.put(
    '/api/v1/phonebooks/:id/visibility',
    { config: admin, schema: { tags: ['contacts'], summary: 'Replace who sees a company phonebook (hidden when both lists are empty)', params: idParams, body: visibilityBody, response: { 200: visibilityView } } },
    (request) => setVisibility(ctx.store.db, adminTenant(request), request.params.id, request.body),
  );
};
