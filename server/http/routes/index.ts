import type { RouteModule } from '../context.js';
import { adminSessionRoutes } from './admin-session.js';
import { adminUiRoutes } from './admin-ui.js';
import { auditRoutes } from './audit.js';
import { contactRoutes } from './contacts.js';
import { directoryRoutes } from './directory.js';
import { graphNotificationRoutes } from './graph-notifications.js';
import { healthRoutes } from './health.js';
import { integrationRoutes } from './integration.js';
import { jobRoutes } from './jobs.js';
import { meRoutes } from './me.js';
import { presenceRoutes } from './presence.js';
import { ssoRoutes } from './sso.js';
import { tenantRoutes } from './tenants.js';
import { webhookRoutes } from './webhooks.js';

/** Every route module, one per capability. */
export const routeModules: RouteModule[] = [
  healthRoutes,
  auditRoutes,
  integrationRoutes,
  directoryRoutes,
  contactRoutes,
  adminSessionRoutes,
  adminUiRoutes,
  webhookRoutes,
  jobRoutes,
  graphNotificationRoutes,
  ssoRoutes,
  meRoutes,
  presenceRoutes,
  tenantRoutes,
];
