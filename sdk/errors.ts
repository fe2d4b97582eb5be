/**
 * Typed SDK errors with stable codes, in the style of MSAL.js: an error-codes table, one error
 * class, one factory. Server refusals keep the server's code (`sso_disabled`, `session_revoked`…);
 * the SDK adds its own for what happens on the client side. Messages never contain tokens.
 */

/** Codes the SDK itself raises (the server's codes pass through unchanged). */
export const SdkErrorCodes = {
  /** The server could not be reached (offline, DNS, CORS refused, TLS). */
  networkError: 'network_error',
  /** A call that needs a session was made before signing in (or after signing out). */
  notSignedIn: 'not_signed_in',
  /** The auth strategy could not sign the user in (cancelled popup, Microsoft error…). */
  signInFailed: 'sign_in_failed',
  /** The server answered something that is not the documented JSON. */
  invalidResponse: 'invalid_response',
  /** The status stream broke and was not re-established. */
  streamFailed: 'stream_failed',
} as const;

/** Every code an SDK error can carry: one of `SdkErrorCodes` or a server error code. */
export type UcBridgeErrorCode = (typeof SdkErrorCodes)[keyof typeof SdkErrorCodes] | (string & {});

/** Anything token-shaped is cut out of messages, whatever produced them. */
const TOKEN_LIKE = /(ucb_(?:at|rt)_[A-Za-z0-9_-]+|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)/g;

/** Removes tokens (PBX session tokens, JWTs) from a text. */
export const redactTokens = (text: string): string => text.replace(TOKEN_LIKE, '[redacted]');

/** The one error type the SDK throws. */
export class UcBridgeError extends Error {
  override readonly name = 'UcBridgeError';
  /** Stable code to branch on. */
  readonly code: UcBridgeErrorCode;
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  /** The server's request id, to quote when reporting a problem. */
  readonly requestId: string | undefined;
  /** The server's hint on what to do, when it gave one. */
  readonly hint: string | undefined;

  constructor(code: UcBridgeErrorCode, message: string, extra: { status?: number; requestId?: string; hint?: string } = {}) {
    super(redactTokens(message));
    this.code = code;
    this.status = extra.status;
    this.requestId = extra.requestId;
    this.hint = extra.hint === undefined ? undefined : redactTokens(extra.hint);
  }
}

/** Builds an SDK error; `cause` is summarised (its message, redacted), never attached. */
export function createUcBridgeError(code: UcBridgeErrorCode, message: string, cause?: unknown): UcBridgeError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new UcBridgeError(code, `${message}${detail}`);
}

/** Whether an error means the session is over and a new sign-in (or renewal) is needed. */
export const isSessionEnded = (error: unknown): boolean =>
  error instanceof UcBridgeError &&
  ['session_invalid', 'session_revoked', 'session_refresh_reused', 'session_expired', 'not_signed_in'].includes(error.code);
