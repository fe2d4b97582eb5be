import type { AccessClaims } from '../entra/tokens.js';
import type { EmuRequest, EmuResponse } from '../http/types.js';
import type { Services } from '../services.js';
import { badRequest, graphHeaders } from './errors.js';

export interface GraphCtx {
  req: EmuRequest;
  svc: Services;
  auth: AccessClaims;
  ids: { requestId: string; clientRequestId: string };
  /** https://host:port/v1.0 */
  base: string;
}

const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function ok(ctx: GraphCtx, body: unknown, status = 200, headers: Record<string, string> = {}): EmuResponse {
  return {
    status,
    headers: { 'content-type': ODATA_JSON, 'odata-version': '4.0', 'cache-control': 'no-cache', ...graphHeaders(ctx.ids), ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(ctx: GraphCtx, headers: Record<string, string> = {}): EmuResponse {
  return { status: 204, headers: { ...graphHeaders(ctx.ids), ...headers }, body: '' };
}

export interface CollectionLinks {
  next?: string | undefined;
  delta?: string | undefined;
  count?: number | undefined;
}

/** A Graph collection page: @odata.context, optional @odata.count, value, then nextLink/deltaLink. */
export function collection(ctx: GraphCtx, context: string, value: unknown[], links: CollectionLinks = {}, headers: Record<string, string> = {}): EmuResponse {
  const body: Record<string, unknown> = { '@odata.context': `${ctx.base}/$metadata#${context}` };
  if (links.count !== undefined) body['@odata.count'] = links.count;
  if (links.next) body['@odata.nextLink'] = links.next;
  body.value = value;
  if (links.delta) body['@odata.deltaLink'] = links.delta;
  return ok(ctx, body, 200, headers);
}

/** Parses the request body as a JSON object or throws Graph's 400. */
export function bodyObject(ctx: GraphCtx): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(ctx.req.body.toString('utf8') || 'null');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  return badRequest('Empty Payload. JSON content expected.');
}
