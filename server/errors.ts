/**
 * Typed application errors. Every error the API can return has a stable snake_case `code`
 * (listed in `ErrorCodes`) so that clients, the SDK and the UIs can translate and react to it
 * without parsing messages. The HTTP layer maps an AppError to `{"error":{code,message,details}}`.
 */
export const ErrorCodes = {
  // request shape
  validation_failed: 400,
  malformed_json: 400,
  unsupported_media_type: 415,
  not_found: 404,
  route_not_found: 404,
  conflict: 409,
  rate_limited: 429,
  // authentication
  admin_auth_required: 401,
  admin_token_invalid: 401,
  forbidden: 403,
  // configuration
  config_invalid: 500,
  secret_key_missing: 500,
  secret_undecryptable: 500,
  // service state
  not_ready: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** Extra codes registered by feature modules; each module owns its own list. */
const extraCodes = new Map<string, number>();

/** Lets a capability module add its own codes (with their HTTP status) at import time. */
export function registerErrorCodes(codes: Record<string, number>): void {
  for (const [code, status] of Object.entries(codes)) extraCodes.set(code, status);
}

export function statusForCode(code: string): number {
  return (ErrorCodes as Record<string, number>)[code] ?? extraCodes.get(code) ?? 500;
}

export interface ErrorDetails {
  /** For validation errors: one entry per offending field. */
  fields?: Array<{ path: string; message: string }>;
  /** What the caller can do about it. */
  hint?: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: string;
  readonly status: number;
  readonly details: ErrorDetails | undefined;

  constructor(code: string, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = statusForCode(code);
    this.details = details;
  }

  toJSON(): { error: { code: string; message: string; details?: ErrorDetails } } {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

/** Factory helpers keep call sites short and messages consistent. */
export const errors = {
  notFound: (what: string, id: string) => new AppError('not_found', `${what} '${id}' does not exist.`),
  conflict: (message: string, details?: ErrorDetails) => new AppError('conflict', message, details),
  validation: (fields: Array<{ path: string; message: string }>, message = 'The request is invalid.') =>
    new AppError('validation_failed', `${message} ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, {
      fields,
    }),
};

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
