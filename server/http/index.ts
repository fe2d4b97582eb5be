export { createApp, authRateLimit, type AppOptions } from './app.js';
export type { AdminPrincipal } from './auth.js';
export type { AppContext, RouteModule, ZodApp } from './context.js';
export { toPage } from './paging.js';
