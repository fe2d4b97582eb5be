import { createUcBridgeError, SdkErrorCodes, UcBridgeError } from './errors.js';

/** One JSON call to the server; errors become `UcBridgeError`s with the server's code. */
export type Requester = <T>(method: string, path: string, options?: RequestOptions) => Promise<T>;

export interface RequestOptions {
  body?: unknown;
  token?: string | undefined;
  /** Aborts the call (it then rejects with the `AbortError` DOMException, not a `UcBridgeError`). */
  signal?: AbortSignal | undefined;
}

interface ServerError {
  error?: { code?: unknown; message?: unknown; details?: { hint?: unknown } };
}

async function errorFrom(response: Response): Promise<UcBridgeError> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const body = (await response.json().catch(() => ({}))) as ServerError;
  const code = typeof body.error?.code === 'string' ? body.error.code : SdkErrorCodes.invalidResponse;
  const message = typeof body.error?.message === 'string' ? body.error.message : `The server answered HTTP ${response.status}.`;
  const hint = typeof body.error?.details?.hint === 'string' ? body.error.details.hint : undefined;
  return new UcBridgeError(code, message, {
    status: response.status,
    ...(requestId ? { requestId } : {}),
    ...(hint ? { hint } : {}),
  });
}

/** Sends a request and turns a failed one into an error (network problems included). */
export async function send(fetchImpl: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetchImpl(url, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw createUcBridgeError(SdkErrorCodes.networkError, 'The ucbridge server could not be reached', cause);
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

export function createRequester(serverUrl: string, fetchImpl: typeof fetch): Requester {
  return async <T>(method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await send(fetchImpl, `${serverUrl}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch (cause) {
      throw createUcBridgeError(SdkErrorCodes.invalidResponse, 'The server answered without JSON', cause);
    }
  };
}
