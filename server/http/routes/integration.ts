import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CONSENT_CALLBACK,
  connect,
  connectInput,
  consentUrl,
  disableIntegration,
  disconnectIntegration,
  enableIntegration,
  getIntegrationView,
  integrationView,
  readConsentState,
  redirectUri,
  redirectUris,
  secretInput,
  settleInput,
  testConnection,
  updateSecret,
} from '../../integration/index.js';
import { adminTenant } from '../auth.js';
import type { AppContext, RouteModule } from '../context.js';

const view = integrationView.extend({ redirectUris: z.array(redirectUri) });
const tags = ['integration'];

/** PUBLIC_URL when set, else the origin the admin reached us on. */
export const baseUrl = (ctx: AppContext, request: FastifyRequest): string => ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;

export const integrationRoutes: RouteModule = (app, ctx) => {
  const show = async (request: FastifyRequest) => ({
    ...(await getIntegrationView(ctx.store, adminTenant(request))),
    redirectUris: redirectUris(baseUrl(ctx, request)),
  });
  const admin = { admin: true };

  app.get('/api/v1/integration', { config: admin, schema: { tags, summary: 'The Entra connection (never the secret) and the redirect URIs to register', response: { 200: view } } }, show);

  app.put(
    '/api/v1/integration',
    { config: admin, schema: { tags, summary: 'Connect: verifies the credentials and probes permissions before saving', body: connectInput, response: { 200: view } } },
    async (request) => {
      await connect(ctx, adminTenant(request), request.body);
      return show(request);
    },
  );

  app.post('/api/v1/integration/test', { config: admin, schema: { tags, summary: 'Test connection: fresh token and per-permission report', response: { 200: view } } }, async (request) => {
    await testConnection(ctx, adminTenant(request));
    return show(request);
  });

  app.post(
    '/api/v1/integration/secret',
    { config: admin, schema: { tags, summary: 'Rotate the client secret (the old one stays until the new one works)', body: secretInput, response: { 200: view } } },
    async (request) => {
      await updateSecret(ctx, adminTenant(request), request.body.clientSecret);
      return show(request);
    },
  );

  app.post(
    '/api/v1/integration/disable',
    { config: admin, schema: { tags, summary: 'Disable sync and SSO; delete or keep (read-only) synced objects', body: settleInput, response: { 200: view } } },
    async (request) => {
      await disableIntegration(ctx, adminTenant(request), request.body);
      return show(request);
    },
  );

  app.post('/api/v1/integration/enable', { config: admin, schema: { tags, summary: 'Enable again', response: { 200: view } } }, async (request) => {
    await enableIntegration(ctx, adminTenant(request));
    return show(request);
  });

  app.post(
    '/api/v1/integration/disconnect',
    { config: admin, schema: { tags, summary: 'Remove the connection; delete or release synced objects', body: settleInput, response: { 200: view } } },
    async (request) => {
      await disconnectIntegration(ctx, adminTenant(request), request.body);
      return show(request);
    },
  );

  app.get(
    '/api/v1/integration/consent',
    { config: admin, schema: { tags, summary: "Microsoft's admin-consent URL for this app", response: { 200: z.object({ url: z.string() }) } } },
    async (request) => ({ url: await consentUrl(ctx.store, adminTenant(request), baseUrl(ctx, request)) }),
  );

  // Microsoft redirects the admin's browser here: no admin token, the sealed state authenticates it.
  app.get(
    CONSENT_CALLBACK,
    {
      schema: {
        tags,
        summary: 'Admin-consent callback (browser redirect from Microsoft)',
        querystring: z.object({ state: z.string().max(2000), admin_consent: z.string().optional(), error: z.string().optional(), error_description: z.string().optional(), tenant: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const tenantId = readConsentState(ctx.store, request.query.state);
      const admin = `${baseUrl(ctx, request)}/admin#/integration`;
      if (request.query.error || request.query.admin_consent?.toLowerCase() !== 'true') {
        return reply.redirect(`${admin}?consent=error&reason=${encodeURIComponent(request.query.error ?? 'not_granted')}`, 303);
      }
      // Consent takes a moment to reach the token service; a failing test here is shown on the page, not thrown.
      const outcome = await testConnection(ctx, tenantId).then(() => 'granted', () => 'granted_untested');
      return reply.redirect(`${admin}?consent=${outcome}`, 303);
    },
  );
};
