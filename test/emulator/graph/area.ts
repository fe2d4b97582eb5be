import type { FaultAction } from '../http/faults.js';
import type { Area } from '../http/pipeline.js';
import { Router } from '../http/router.js';
import type { EmuRequest, EmuResponse } from '../http/types.js';
import type { Services } from '../services.js';
import { fromB64url } from '../util/encoding.js';
import type { GraphCtx } from './context.js';
import { GraphHttpError, graphError, requestIds } from './errors.js';

export type GraphRegistrar = (r: Router<GraphCtx>) => void;

const bearer = (req: EmuRequest): string | undefined => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

/** The app id of a bearer token, read without verification (for the request log only). */
function unverifiedAppId(req: EmuRequest): string | null {
  const token = bearer(req);
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(fromB64url(payload)) as { appid?: string };
    return claims.appid ?? null;
  } catch {
    return null;
  }
}

/** /me is /users/{signed-in user}: only meaningful for delegated tokens. */
function rewriteMe(path: string, oid: string): string {
  return path.replace(/^\/v1\.0\/me(?=\/|$)/i, `/v1.0/users/${oid}`);
}

const FAULT_CODES: Record<number, string> = { 500: 'generalException', 502: 'badGateway', 503: 'serviceNotAvailable', 504: 'gatewayTimeout' };

/** graph.microsoft.com: bearer validation, routing, and Graph-shaped errors. */
export function createGraphArea(svc: Services, registrars: GraphRegistrar[]): Area {
  const router = new Router<GraphCtx>();
  for (const register of registrars) register(router);

  const handle = async (req: EmuRequest): Promise<EmuResponse> => {
    const ids = requestIds(req);
    try {
      const token = bearer(req);
      if (!token) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', ids);
      const verified = await svc.tokens.verify(token);
      if (!verified.ok) return graphError(401, 'InvalidAuthenticationToken', verified.message, ids);
      const auth = verified.claims;
      if (auth.tid !== svc.state.tenant.tenantId) return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid issuer.', ids);
      if (!auth.roles?.length && !auth.scp) return graphError(401, 'InvalidAuthenticationToken', 'Either scp or roles claim need to be present in the token.', ids);
      let path = req.path;
      if (/^\/v1\.0\/me(\/|$)/i.test(path)) {
        if (auth.idtyp === 'app') return graphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.', ids);
        path = rewriteMe(path, auth.oid);
      }
      const match = router.match(req.method, path);
      if (match === 'none') return graphError(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop() ?? ''}'.`, ids);
      if (match === 'method') return graphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.', ids);
      const ctx: GraphCtx = { req: { ...req, path }, svc, auth, ids, base: `${req.origin}/v1.0` };
      return await match.handler(ctx, match.params);
    } catch (err) {
      if (err instanceof GraphHttpError) return graphError(err.status, err.code, err.message, ids, err.headers);
      throw err;
    }
  };

  return {
    name: 'graph',
    owns: (path) => /^\/(v1\.0|beta)(\/|$)/i.test(path),
    handle,
    appId: unverifiedAppId,
    faultResponse(req: EmuRequest, action: Exclude<FaultAction, { kind: 'none' | 'reset' }>): EmuResponse {
      const ids = requestIds(req);
      const retry: Record<string, string> = action.retryAfter === null ? {} : { 'retry-after': String(action.retryAfter) };
      if (action.kind === 'throttle') {
        return graphError(429, 'TooManyRequests', 'Too many requests. Please retry after the time specified in the Retry-After header.', ids, retry);
      }
      return graphError(action.status, FAULT_CODES[action.status] ?? 'generalException', 'The service is temporarily unavailable. Please retry.', ids, action.status === 503 ? retry : {});
    },
  };
}
