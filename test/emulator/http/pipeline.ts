import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultAction, Faults } from './faults.js';
import type { RequestLog } from './request-log.js';
import { empty, type EmuRequest, type EmuResponse } from './types.js';

/** One of the services the emulator plays (Entra, Graph, control API). */
export interface Area {
  name: string;
  owns(path: string): boolean;
  handle(req: EmuRequest): Promise<EmuResponse>;
  /** How this service answers an injected fault (Graph and Entra word errors differently). */
  faultResponse(req: EmuRequest, action: Exclude<FaultAction, { kind: 'none' | 'reset' }>): EmuResponse;
  /** The calling app's client id, for the request log. */
  appId(req: EmuRequest): string | null;
  /** Control traffic is neither logged nor subject to faults. */
  internal?: boolean;
}

const EXPOSED = 'Retry-After, request-id, client-request-id, Location, ETag, Preference-Applied, x-ms-ags-diagnostic, x-ms-resource-unit';

/** Real login.microsoftonline.com and graph.microsoft.com answer browsers with CORS headers. */
function corsHeaders(req: EmuRequest): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED,
    vary: 'Origin',
  };
}

function preflight(req: EmuRequest): EmuResponse {
  return empty(204, {
    ...corsHeaders(req),
    'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-max-age': '86400',
  });
}

const readableQuery = (q: URLSearchParams): string => [...q.entries()].map(([k, v]) => `${k}=${v}`).join('&');

export type PipelineResult = EmuResponse | 'reset';

/** Routes a request to its area, applying faults and logging; $batch re-enters through `handle`. */
export class Pipeline {
  constructor(
    private readonly areas: Area[],
    readonly faults: Faults,
    readonly log: RequestLog,
  ) {}

  async handle(req: EmuRequest, canReset: boolean): Promise<PipelineResult> {
    if (req.method === 'OPTIONS' && req.headers.origin) return preflight(req);
    const area = this.areas.find((a) => a.owns(req.path));
    if (!area) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' };
    if (area.internal) return area.handle(req);
    const decision = this.faults.decide(req.method, req.path, canReset);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    const action = decision.action;
    const appId = area.appId(req);
    const entry = { method: req.method, path: req.path, query: readableQuery(req.query), appId, batched: req.batched };
    if (action.kind === 'reset') {
      this.log.add({ ...entry, status: 0, fault: 'reset' });
      return 'reset';
    }
    const res = action.kind === 'none' ? await area.handle(req) : area.faultResponse(req, action);
    Object.assign(res.headers, corsHeaders(req));
    this.log.add({ ...entry, status: res.status, fault: action.kind === 'none' ? null : action.kind });
    return res;
  }
}
