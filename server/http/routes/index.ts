import type { RouteModule } from '../context.js';
import { auditRoutes } from './audit.js';
import { healthRoutes } from './health.js';
import { integrationRoutes } from './integration.js';

/** Every route module, one per capability. */
export const routeModules: RouteModule[] = [healthRoutes, auditRoutes, integrationRoutes];
