/** A request as every emulator handler sees it, whether it came over HTTPS or from inside a $batch. */
export interface EmuRequest {
  method: string;
  /** Decoded path, e.g. /v1.0/users/abc. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
  /** https://127.0.0.1:PORT: base for absolute links (nextLink, deltaLink, redirects). */
  origin: string;
  /** Set for requests dispatched from a $batch. */
  batched: boolean;
}

export interface EmuResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export type Params = Record<string, string>;

export type Handler<C> = (ctx: C, params: Params) => EmuResponse | Promise<EmuResponse>;

export const JSON_TYPE = 'application/json; charset=utf-8';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function text(status: number, body: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { 'content-type': contentType, ...headers }, body };
}

export const html = (status: number, body: string): EmuResponse => text(status, body, 'text/html; charset=utf-8', { 'cache-control': 'no-store' });

export const empty = (status = 204, headers: Record<string, string> = {}): EmuResponse => ({ status, headers, body: '' });

export const redirect = (location: string, headers: Record<string, string> = {}): EmuResponse => ({
  status: 302,
  headers: { location, 'cache-control': 'no-store', ...headers },
  body: '',
});

/** Parses a JSON body; undefined when it is absent or not JSON. */
export function readJson(req: EmuRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function readForm(req: EmuRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field of a parsed JSON body ('' when absent or not a string). */
export const textOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
