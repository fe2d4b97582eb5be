export { openStore, type Store, type StoreOptions } from './open.js';
export type * from './schema.js';
export { createSecretBox, type SecretBox } from './secret-box.js';
export { DEFAULT_TENANT, newId, nowIso, toFlag, fromFlag } from './util.js';
export { tenantRepo } from './repos/tenants.js';
export { adminTokenRepo, generateAdminToken, hashToken } from './repos/admin-tokens.js';
export { auditRepo, type AuditEntry } from './repos/audit.js';
export { settingsRepo } from './repos/settings.js';
export { integrationRepo, type IntegrationRow } from './repos/integration.js';
