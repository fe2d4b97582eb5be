import { AppError, registerErrorCodes, type ErrorDetails } from '../errors.js';

/**
 * Every way a sign-in or a session can be refused, each with its own stable code so clients
 * can tell the user what to do (and tests can tell the cases apart). Messages never carry
 * tokens, codes or secrets.
 */
export const SSO_ERROR_CODES = {
  // the deployment's state
  sso_disabled: 403,
  sso_integration_disabled: 403,
  sso_integration_disconnected: 403,
  // the user
  sso_user_unknown: 403,
  sso_user_not_synced: 403,
  sso_extension_disabled: 403,
  // the ID token
  sso_token_malformed: 401,
  sso_token_algorithm: 401,
  sso_bad_signature: 401,
  sso_token_expired: 401,
  sso_token_not_yet_valid: 401,
  sso_wrong_issuer: 401,
  sso_other_tenant: 401,
  sso_wrong_audience: 401,
  sso_nonce_mismatch: 401,
  sso_nonce_required: 401,
  sso_token_too_old: 401,
  // the web flow
  sso_state_invalid: 400,
  sso_state_expired: 400,
  sso_code_replayed: 400,
  sso_code_rejected: 400,
  sso_authorize_failed: 400,
  sso_return_url_invalid: 400,
  sso_identity_provider_unavailable: 502,
  // PBX sessions
  session_required: 401,
  session_invalid: 401,
  session_expired: 401,
  session_revoked: 401,
  session_refresh_reused: 401,
} as const;

export type SsoErrorCode = keyof typeof SSO_ERROR_CODES;

registerErrorCodes(SSO_ERROR_CODES);

/** An AppError with one of this module's codes (typed, so a typo fails to compile). */
export const ssoError = (code: SsoErrorCode, message: string, details?: ErrorDetails): AppError =>
  new AppError(code, message, details);

export const isSsoRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && error.code in SSO_ERROR_CODES;
