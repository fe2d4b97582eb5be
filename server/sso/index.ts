/**
 * server/sso — single sign-on with Microsoft Entra ID (SPEC §6) and the PBX sessions it opens.
 *
 * - Web client: `startWebSignIn` (authorization-code flow with PKCE, state, nonce) and
 *   `finishWebSignIn` (code redeemed, ID token validated, session opened).
 * - SDK: `issueNonce` then `exchangeIdToken` for an ID token MSAL obtained in the browser.
 * - Sessions: `refreshSession` (rotation, reuse revokes the family), `authenticateSession`
 *   (per request: SSO on, integration connected, extension enabled and synced), `logout`.
 * - Client API: `setOwnStatus` (a signed-in user's manual status, source `user`, audited).
 *
 * For other modules: `revokeSessionsForExtension(store, tenantId, extensionId)` ends an
 * extension's sessions, `revokeAllSessions(store, tenantId, reason)` a tenant's; sso registers
 * itself (wiring.ts) to call them when directory ends a synced extension and when the integration
 * is disabled or disconnected. Revoking a sign-in also deletes its delegated presence grant.
 */
import './wiring.js';

export { SSO_ERROR_CODES, type SsoErrorCode } from './errors.js';
export {
  allAllowedOrigins,
  getSsoSettings,
  ssoSettings,
  updateSsoSettings,
  type SsoSettings,
} from './settings.js';
export { configureSso, DEFAULT_SSO_TUNABLES, ssoTunables, type SsoTunables } from './tunables.js';
export {
  authenticateSession,
  exchangeIdToken,
  finishWebSignIn,
  issueNonce,
  logout,
  refreshSession,
  requireLiveSignIn,
  startWebSignIn,
  webCallbackUri,
  type SignInChallenge,
  type SignInResult,
  type SsoDeps,
  type WebSignInOutcome,
} from './sign-in.js';
export {
  pruneSessions,
  revokeAllSessions,
  revokeSessionsForExtension,
  type IssuedSession,
  type RevokeReason,
  type SessionPrincipal,
} from './sessions.js';
export type { ExtensionRow } from './access.js';
export { setOwnStatus } from './user-status.js';
