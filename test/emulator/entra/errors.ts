import { randomUUID } from 'node:crypto';
import { json, type EmuResponse } from '../http/types.js';

/** The AADSTS codes the emulator produces, with Entra's wording. */
export const AADSTS = {
  invalidSecret: { code: 7000215, error: 'invalid_client', message: 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app \'{app}\'.' },
  expiredSecret: { code: 7000222, error: 'invalid_client', message: "The provided client secret keys for app '{app}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds." },
  missingSecret: { code: 7000218, error: 'invalid_client', message: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." },
  publicClientSecret: { code: 700025, error: 'invalid_client', message: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented." },
  appNotFound: { code: 700016, error: 'unauthorized_client', message: "Application with identifier '{app}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant." },
  tenantNotFound: { code: 90002, error: 'invalid_request', message: "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant." },
  codeExpired: { code: 70008, error: 'invalid_grant', message: 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.' },
  codeRedeemed: { code: 54005, error: 'invalid_grant', message: 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.' },
  badCode: { code: 9002313, error: 'invalid_grant', message: 'Invalid request. Request is malformed or invalid.' },
  pkceMissing: { code: 50148, error: 'invalid_grant', message: 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.' },
  pkceMismatch: { code: 501481, error: 'invalid_grant', message: 'The Code_Verifier does not match the code_challenge supplied in the authorization request.' },
  consentRequired: { code: 65001, error: 'invalid_grant', message: "The user or administrator has not consented to use the application with ID '{app}' named '{name}'. Send an interactive authorization request for this user and resource." },
  redirectMismatch: { code: 50011, error: 'invalid_request', message: "The redirect URI '{uri}' specified in the request does not match the redirect URIs configured for the application '{app}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal." },
  badScope: { code: 1002012, error: 'invalid_scope', message: "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)." },
  badGrant: { code: 70003, error: 'unsupported_grant_type', message: "The app requested an unsupported grant type '{grant}'." },
  missingParam: { code: 900144, error: 'invalid_request', message: "The request body must contain the following parameter: '{param}'." },
  spaNeedsOrigin: { code: 9002327, error: 'invalid_request', message: "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests." },
  originNotSpa: { code: 9002326, error: 'invalid_request', message: "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '{origin}'." },
  refreshRevoked: { code: 50173, error: 'invalid_grant', message: 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.' },
  refreshExpired: { code: 700084, error: 'invalid_grant', message: 'The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.' },
  userDisabled: { code: 50057, error: 'invalid_grant', message: 'The user account is disabled.' },
  userNotFound: { code: 50034, error: 'invalid_request', message: "The user account {user} does not exist in the '{tenant}' directory. To sign into this application, the account must be added to the directory." },
  loginRequired: { code: 50058, error: 'login_required', message: 'A silent sign-in request was sent but no user is signed in.' },
  userDeclined: { code: 65004, error: 'access_denied', message: 'User declined to consent to access the app.' },
  adminRequired: { code: 90094, error: 'access_denied', message: 'Admin consent is required for the permissions requested by this application.' },
  // Transient failures (injected faults): 429 RequestBudgetExceededError, 5xx MsodsServiceUnavailable.
  requestBudget: { code: 90024, error: 'temporarily_unavailable', message: 'A transient error has occurred. Try again.' },
  directoryUnavailable: { code: 90033, error: 'temporarily_unavailable', message: "The Microsoft Online Directory Service (MSODS) isn't available." },
} as const;

export type AadErrorKey = keyof typeof AADSTS;

export interface AadError {
  status: number;
  error: string;
  errorCode: number;
  description: string;
}

/** Fills the {placeholders} of an AADSTS message and returns the parts every surface needs. */
export function aadError(key: AadErrorKey, vars: Record<string, string> = {}): AadError {
  const def = AADSTS[key];
  const message = def.message.replace(/\{(\w+)\}/g, (_m, name: string) => vars[name] ?? '');
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace('Z', 'Z');
  return {
    status: def.error === 'invalid_client' ? 401 : 400,
    error: def.error,
    errorCode: def.code,
    description: `AADSTS${def.code}: ${message} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
  };
}

/**
 * Token-endpoint error body, as https://learn.microsoft.com/entra/identity-platform/reference-error-codes shows it;
 * `status` for errors that are not the request's fault (429, 5xx).
 */
export function tokenError(key: AadErrorKey, vars: Record<string, string> = {}, headers: Record<string, string> = {}, status?: number): EmuResponse {
  const e = aadError(key, vars);
  const [, trace = '', correlation = ''] = /Trace ID: (\S+) Correlation ID: (\S+)/.exec(e.description) ?? [];
  return json(
    status ?? e.status,
    {
      error: e.error,
      error_description: e.description.replace(' Trace ID', '\r\nTrace ID').replace(' Correlation ID', '\r\nCorrelation ID').replace(' Timestamp', '\r\nTimestamp'),
      error_codes: [e.errorCode],
      timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${e.errorCode}`,
    },
    { 'cache-control': 'no-store, no-cache', pragma: 'no-cache', ...headers },
  );
}
