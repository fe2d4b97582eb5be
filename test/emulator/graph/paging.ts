import type { EmuRequest } from '../http/types.js';
import { decodeToken, encodeToken } from '../util/encoding.js';
import { badRequest, fail } from './errors.js';

/** `$top` for directory collections: 1–999, else Graph's exact 400. */
export function topOrDefault(req: EmuRequest, def: number, max = 999): number {
  const raw = req.query.get('$top');
  if (raw === null) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    fail(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`);
  }
  return n;
}

/** `Prefer: odata.maxpagesize=N` (Outlook and delta collections). */
export function preferredPageSize(req: EmuRequest, def: number, max = 1000): number {
  const m = /odata\.maxpagesize=(\d+)/i.exec(req.headers.prefer ?? '');
  const n = m ? Number(m[1]) : def;
  return Math.max(1, Math.min(max, n));
}

export function prefers(req: EmuRequest, token: string): boolean {
  return (req.headers.prefer ?? '').toLowerCase().includes(token.toLowerCase());
}

/** Builds a query string keeping `$` in option names as Graph's own links do. */
export function buildQuery(params: Iterable<[string, string]>): string {
  return [...params].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** Absolute link to the same path with the given extra params (old $skiptoken/$deltatoken dropped). */
export function linkWith(req: EmuRequest, extra: [string, string][], keep = true): string {
  const replaced = new Set(['$skiptoken', '$deltatoken', ...extra.map(([k]) => k)]);
  const kept = keep ? [...req.query.entries()].filter(([k]) => !replaced.has(k)) : [];
  return `${req.origin}${encodeURI(req.path)}?${buildQuery([...kept, ...extra])}`;
}

export function readSkipToken<T>(req: EmuRequest): T | undefined {
  const raw = req.query.get('$skiptoken');
  if (raw === null) return undefined;
  const token = decodeToken<T>(raw);
  if (!token) badRequest(`Invalid skip token '${raw.slice(0, 20)}…'.`, 'Request_BadRequest');
  return token;
}

export const skipToken = (payload: object): string => encodeToken(payload);
