import type { Area } from '../http/pipeline.js';
import { Router } from '../http/router.js';
import { json, readJson, type EmuRequest, type EmuResponse } from '../http/types.js';
import type { Services } from '../services.js';
import type { EmulatorControl } from './mutations.js';
import { ControlError } from './ops.js';
import { registerControlRoutes, type ControlCtx } from './routes.js';

/** /_emulator/*: JSON control API (no auth: the emulator only listens on loopback). */
export function createControlArea(svc: Services, ops: EmulatorControl, info: () => Record<string, unknown>): Area {
  const router = new Router<ControlCtx>();
  registerControlRoutes(router, info);
  return {
    name: 'control',
    internal: true,
    owns: (path) => path === '/_emulator' || path.startsWith('/_emulator/'),
    async handle(req: EmuRequest): Promise<EmuResponse> {
      const match = router.match(req.method, req.path);
      if (match === 'none' || match === 'method') return json(404, { error: { code: 'not_found', message: `${req.method} ${req.path} is not a control route` } });
      try {
        const body = readJson(req);
        return await match.handler({ req, svc, ops, body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {} }, match.params);
      } catch (err) {
        if (err instanceof ControlError) return json(err.status, { error: { code: 'control_error', message: err.message } });
        throw err;
      }
    },
    appId: () => null,
    faultResponse: () => json(500, {}),
  };
}
