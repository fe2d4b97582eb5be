/** One offending field of a validation error, as the server reports it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** An error answer of the API, `{"error":{"code","message","details"}}`, or a network failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly hint?: string,
  ) {
    super(message);
  }
}

const CSRF_COOKIE = 'ucb_admin_csrf';

function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { fields?: FieldProblem[]; hint?: string } };
}

async function toApiError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => ({}))) as ErrorBody;
  const error = body.error ?? {};
  return new ApiError(
    response.status,
    error.code ?? 'internal_error',
    error.message ?? response.statusText,
    error.details?.fields ?? [],
    error.details?.hint,
  );
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Transport {
  request<T>(method: Method, path: string, body?: unknown): Promise<T>;
}

/** Waits before retrying a read: a dropped connection or a busy instance is often gone a moment later. */
const READ_RETRY_DELAYS_MS = [250, 1000];

/** Statuses worth another try for a read: the request may never have reached a working instance. */
const TRANSIENT = new Set([0, 502, 503, 504]);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls the API with the page session cookie; changes carry the CSRF token from its cookie.
 * Reads (GET, idempotent) are retried after a network failure or a 502/503/504, so a section does
 * not show an error for one dropped request; changes are never repeated. `onSignedOut` runs when
 * the server says the session is gone.
 */
export function createTransport(onSignedOut: () => void, base = '/api/v1', retryDelaysMs: readonly number[] = READ_RETRY_DELAYS_MS): Transport {
  async function once<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const csrf = method === 'GET' ? undefined : csrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new ApiError(0, 'network_error', (cause as Error).message);
    }
    if (!response.ok) {
      const error = await toApiError(response);
      if (error.code === 'admin_session_invalid' || error.code === 'admin_auth_required') onSignedOut();
      throw error;
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  return {
    async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
      for (const delay of method === 'GET' ? retryDelaysMs : []) {
        try {
          return await once<T>(method, path, body);
        } catch (error) {
          if (!(error instanceof ApiError) || !TRANSIENT.has(error.status)) throw error;
          await pause(delay);
        }
      }
      return once<T>(method, path, body);
    },
  };
}
