export { createApp, authRateLimit, type AppOptions } from './app.js';
export { adminTenant, type AdminPrincipal } from './auth.js';
export type { AppContext, RouteModule, ZodApp } from './context.js';
export { decodeCursor, encodeCursor, pageOf, pageQuery, toPage } from './paging.js';
export { redactUrl } from './logging.js';
