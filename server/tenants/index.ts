/**
 * server/tenants — the operator's view of a multi-tenant deployment: one tenant per PBX, each with
 * its own integration, settings, admin tokens and data (every table carries `tenant_id`).
 */
export { createTenant, deleteTenant, listTenants, requireTenant, tenantCreate, tenantView, type TenantCreate, type TenantView } from './tenants.js';
