import type { FaultAction } from '../http/faults.js';
import type { Area } from '../http/pipeline.js';
import { Router } from '../http/router.js';
import { readForm, text, type EmuRequest, type EmuResponse } from '../http/types.js';
import type { Services } from '../services.js';
import { registerAuthorize } from './authorize.js';
import { tokenError } from './errors.js';
import type { EntraCtx } from './context.js';
import { registerDiscovery } from './discovery.js';
import { registerLogout } from './logout.js';
import { registerToken } from './token-endpoint.js';

/** login.microsoftonline.com: every path that is not Graph or the control API. */
export function createEntraArea(svc: Services): Area {
  const router = new Router<EntraCtx>();
  registerDiscovery(router);
  registerAuthorize(router);
  registerToken(router);
  registerLogout(router);

  return {
    name: 'entra',
    owns: (path) => !path.startsWith('/_emulator') && !/^\/(v1\.0|beta)(\/|$)/i.test(path),
    async handle(req: EmuRequest): Promise<EmuResponse> {
      const match = router.match(req.method, req.path);
      if (match === 'none' || match === 'method') return text(404, 'Not found');
      const ctx: EntraCtx = { req, svc, tenant: match.params.tenant ?? 'common', base: req.origin };
      return match.handler(ctx, match.params);
    },
    appId(req: EmuRequest): string | null {
      if (req.method === 'POST' && req.path.endsWith('/token')) return readForm(req).get('client_id');
      return req.query.get('client_id');
    },
    faultResponse(_req: EmuRequest, action: Exclude<FaultAction, { kind: 'none' | 'reset' }>): EmuResponse {
      const headers: Record<string, string> = action.retryAfter === null ? {} : { 'retry-after': String(action.retryAfter) };
      return action.kind === 'throttle' ? tokenError('requestBudget', {}, headers, 429) : tokenError('directoryUnavailable', {}, headers, action.status);
    },
  };
}
