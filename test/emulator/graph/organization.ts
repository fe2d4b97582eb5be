import type { Router } from '../http/router.js';
import { collection, type GraphCtx } from './context.js';
import { PERMS, requirePermission } from './permissions.js';

export function registerOrganization(r: Router<GraphCtx>): void {
  r.get('/v1.0/organization', (ctx) => {
    requirePermission(ctx.auth, PERMS.orgRead);
    return collection(ctx, 'organization', [ctx.svc.state.organization()]);
  });
}
