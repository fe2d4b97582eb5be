import type { Router } from '../../http/router.js';
import { bodyObject, collection, noContent, ok, type GraphCtx } from '../context.js';
import { fail } from '../errors.js';

/** Only the app that created a subscription may see or change it. */
function own(ctx: GraphCtx, id: string): void {
  const rec = ctx.svc.subscriptions.record(id);
  if (rec.sub.applicationId !== ctx.auth.appid) fail(403, 'ExtensionError', 'Operation: Get; Exception: [Status Code: Forbidden; Reason: The subscription belongs to another application.]');
}

export function registerSubscriptions(r: Router<GraphCtx>): void {
  r.post('/v1.0/subscriptions', async (ctx) => {
    const sub = await ctx.svc.subscriptions.create(ctx.auth, bodyObject(ctx));
    return ok(ctx, { '@odata.context': `${ctx.base}/$metadata#subscriptions/$entity`, ...sub }, 201);
  });
  r.get('/v1.0/subscriptions', (ctx) => collection(ctx, 'subscriptions', ctx.svc.subscriptions.list(ctx.auth.appid)));
  r.get('/v1.0/subscriptions/:id', (ctx, p) => {
    own(ctx, p.id ?? '');
    return ok(ctx, { '@odata.context': `${ctx.base}/$metadata#subscriptions/$entity`, ...ctx.svc.subscriptions.record(p.id ?? '').sub });
  });
  r.patch('/v1.0/subscriptions/:id', (ctx, p) => {
    own(ctx, p.id ?? '');
    const sub = ctx.svc.subscriptions.renew(p.id ?? '', bodyObject(ctx).expirationDateTime);
    return ok(ctx, { '@odata.context': `${ctx.base}/$metadata#subscriptions/$entity`, ...sub });
  });
  r.delete('/v1.0/subscriptions/:id', (ctx, p) => {
    own(ctx, p.id ?? '');
    ctx.svc.subscriptions.delete(p.id ?? '');
    return noContent(ctx);
  });
  r.post('/v1.0/subscriptions/:id/reauthorize', (ctx, p) => {
    own(ctx, p.id ?? '');
    ctx.svc.subscriptions.reauthorize(p.id ?? '');
    return noContent(ctx);
  });
}
