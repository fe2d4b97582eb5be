import { getIntegrationView, integrationView } from '../../integration/index.js';
import { adminTenant } from '../auth.js';
import type { RouteModule } from '../context.js';

export const integrationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/integration',
    {
      config: { admin: true },
      schema: { tags: ['integration'], summary: 'The Entra connection (never the secret)', response: { 200: integrationView } },
    },
    (request) => getIntegrationView(ctx.store, adminTenant(request)),
  );
};
