/**
 * English texts for every error code a signed-in user can meet through the SDK: the SDK's own
 * (`SdkErrorCodes`) and the server's sign-in, session and request codes. Keys are the codes
 * themselves; `unknown_error` is the sentence for any other code. The reference catalogue.
 */
export const en = {
  unknown_error: 'Something went wrong. Try again; if it keeps happening, tell your administrator.',
  // the SDK's own codes
  network_error: 'The server cannot be reached. Check the address and your connection, then try again.',
  not_signed_in: 'Please sign in.',
  sign_in_failed: 'The Microsoft sign-in did not complete. Try again.',
  invalid_response: 'The server gave an answer that cannot be understood. Check the server address.',
  stream_failed: 'The live status stopped updating. Reload to try again.',
  // requests
  validation_failed: 'The server did not accept these values. Check them and try again.',
  malformed_json: 'The server could not read the request. Update the app and try again.',
  rate_limited: 'Too many attempts. Wait a minute, then try again.',
  not_found: 'Your extension was not found on the server.',
  route_not_found: 'This server version does not offer that function.',
  internal_error: 'Something went wrong on the server. Try again later.',
  not_ready: 'The server is starting up. Try again in a moment.',
  // sign-in refusals: the deployment
  sso_disabled: 'Sign-in with Microsoft is turned off on this server. Ask your administrator.',
  sso_integration_disabled: 'The Microsoft 365 integration of this server is disabled. Ask your administrator.',
  sso_integration_disconnected: 'This server is not connected to Microsoft 365. Ask your administrator.',
  // sign-in refusals: the user
  sso_user_unknown: 'Your Microsoft account is not linked to an extension on this phone system.',
  sso_user_not_synced: 'Your Microsoft account is not linked to a synced extension. Ask your administrator.',
  sso_extension_disabled: 'Your extension is disabled. Ask your administrator.',
  // sign-in refusals: the ID token
  sso_token_malformed: 'The sign-in answer was not understood. Sign in again.',
  sso_token_algorithm: 'The sign-in answer was not understood. Sign in again.',
  sso_bad_signature: 'The sign-in answer could not be verified. Sign in again.',
  sso_token_expired: 'The sign-in took too long. Sign in again.',
  sso_token_not_yet_valid: 'Your computer’s clock seems to be wrong. Correct it and sign in again.',
  sso_wrong_issuer: 'The sign-in answer came from an unexpected issuer. Ask your administrator.',
  sso_other_tenant: 'This account belongs to another organisation. Sign in with your work account.',
  sso_wrong_audience: 'The server and the sign-in use different Entra apps. Ask your administrator.',
  sso_nonce_mismatch: 'The sign-in answer did not match the request. Sign in again.',
  sso_nonce_required: 'The sign-in answer must come with the request it belongs to. Sign in again.',
  sso_token_too_old: 'The Microsoft sign-in is too old to use. Sign in again.',
  // sign-in refusals: the server's web flow
  sso_state_invalid: 'The sign-in answer did not match the request. Sign in again.',
  sso_state_expired: 'The sign-in took too long. Sign in again.',
  sso_code_replayed: 'This sign-in was already used. Sign in again.',
  sso_code_rejected: 'Microsoft did not accept the sign-in. Sign in again.',
  sso_authorize_failed: 'Microsoft refused the sign-in. Try again or ask your administrator.',
  sso_return_url_invalid: 'This page is not allowed to sign in with this server. Ask your administrator.',
  sso_identity_provider_unavailable: 'The server cannot reach Microsoft right now. Try again later.',
  // sessions
  session_required: 'Please sign in.',
  session_invalid: 'Your session has ended. Sign in again.',
  session_expired: 'Your session has expired. Sign in again.',
  session_revoked: 'You were signed out. Sign in again.',
  session_refresh_reused: 'For your security every session was ended. Sign in again.',
} as const;

/** A key of the error catalogues: a known error code, or `unknown_error`. */
export type ErrorMessageKey = keyof typeof en;

/** One language's error texts: every key of the English catalogue. */
export type ErrorMessages = Readonly<Record<ErrorMessageKey, string>>;
