export {
  getIntegrationView,
  integrationStatus,
  integrationView,
  type IntegrationView,
} from './view.js';
export { connect, connectInput, testConnection, updateSecret, secretInput, type ConnectInput, type IntegrationDeps } from './connect.js';
export type { PermissionReport } from './permissions.js';
export { expiryWarning, secretExpiryWarning, type SecretExpiryWarning } from './secret-expiry.js';
export { disableIntegration, enableIntegration, disconnectIntegration, settleInput, windDownTenant, type SettleInput } from './lifecycle.js';
export { consentUrl, readConsentState, redirectUris, redirectUri, redirectUriProviders, CONSENT_CALLBACK, type RedirectUri } from './consent.js';
export { onIntegrationEnded, type IntegrationEnd } from './ended.js';
export { isGuid } from './entra-tenant.js';
