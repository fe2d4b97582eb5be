import type { Router } from '../http/router.js';
import { textOf } from '../http/types.js';
import type { PresenceState } from '../state/presence.js';
import type { UserRecord } from '../state/types.js';
import { bodyObject, collection, ok, type GraphCtx } from './context.js';
import { badRequest, fail } from './errors.js';
import { PERMS, requirePermission } from './permissions.js';

const MAX_IDS = 650;

/** setPresence accepts only these availability/activity pairs. https://learn.microsoft.com/graph/api/presence-setpresence */
const SESSION_PAIRS = ['Available/Available', 'Busy/InACall', 'Busy/InAConferenceCall', 'Away/Away', 'DoNotDisturb/Presenting'];
/** setUserPreferredPresence pairs. https://learn.microsoft.com/graph/api/presence-setuserpreferredpresence */
const PREFERRED_PAIRS = ['Available/Available', 'Busy/Busy', 'DoNotDisturb/DoNotDisturb', 'BeRightBack/BeRightBack', 'Away/Away', 'Offline/OffWork'];

function presenceUser(ctx: GraphCtx, id: string): UserRecord {
  const u = ctx.svc.state.directory.findUser(id);
  return u ?? fail(404, 'NotFound', `User '${id}' was not found.`);
}

function presenceBody(ctx: GraphCtx, u: UserRecord, state?: PresenceState): Record<string, unknown> {
  const s = state ?? ctx.svc.state.presence.get(u.data.id, u.ord);
  return {
    '@odata.context': `${ctx.base}/$metadata#communications/presences/$entity`,
    id: u.data.id,
    availability: s.availability,
    activity: s.activity,
    statusMessage: null,
    outOfOfficeSettings: { message: null, isOutOfOffice: s.activity === 'OutOfOffice' },
  };
}

/** ISO 8601 duration (PT5M, PT1H30M) → ms; Graph allows 5 minutes to 4 hours. */
function duration(raw: unknown, def = 5 * 60_000): number {
  if (raw === undefined || raw === null) return def;
  const m = typeof raw === 'string' ? /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/i.exec(raw) : null;
  if (!m) return badRequest(`Invalid expirationDuration '${textOf(raw)}'.`);
  const ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
  if (ms < 5 * 60_000 || ms > 4 * 3_600_000) badRequest('expirationDuration must be between PT5M and PT4H.');
  return ms;
}

function pairOf(body: Record<string, unknown>, allowed: string[]): PresenceState {
  const availability = textOf(body.availability);
  const activity = textOf(body.activity);
  if (!allowed.includes(`${availability}/${activity}`)) badRequest(`The availability '${availability}' and activity '${activity}' combination is not supported.`);
  return { availability, activity };
}

function getByIds(ctx: GraphCtx): ReturnType<typeof collection> {
  requirePermission(ctx.auth, PERMS.presenceRead);
  const ids = bodyObject(ctx).ids;
  if (!Array.isArray(ids) || ids.length === 0) badRequest('ids is required.');
  if (Array.isArray(ids) && ids.length > MAX_IDS) badRequest(`The number of ids exceeds the maximum of ${MAX_IDS}.`);
  const dir = ctx.svc.state.directory;
  const value = (ids as unknown[]).flatMap((id) => {
    const u = typeof id === 'string' ? dir.usersById.get(id) : undefined;
    if (!u || u.deletedAt !== null) return [];
    const { '@odata.context': _ignored, ...rest } = presenceBody(ctx, u);
    return [rest];
  });
  return collection(ctx, 'Collection(microsoft.graph.presence)', value);
}

function setPresence(ctx: GraphCtx, id: string): ReturnType<typeof ok> {
  requirePermission(ctx.auth, PERMS.presenceWrite);
  const u = presenceUser(ctx, id);
  const body = bodyObject(ctx);
  const sessionId = textOf(body.sessionId);
  if (ctx.auth.idtyp === 'app' && sessionId.toLowerCase() !== ctx.auth.appid.toLowerCase()) badRequest('The sessionId must be the application (client) id of the calling app.');
  ctx.svc.state.presence.setSession(u.data.id, u.ord, sessionId, pairOf(body, SESSION_PAIRS), duration(body.expirationDuration));
  return { status: 200, headers: {}, body: '' };
}

function clearPresence(ctx: GraphCtx, id: string): ReturnType<typeof ok> {
  requirePermission(ctx.auth, PERMS.presenceWrite);
  const u = presenceUser(ctx, id);
  ctx.svc.state.presence.clearSession(u.data.id, u.ord, textOf(bodyObject(ctx).sessionId));
  return { status: 200, headers: {}, body: '' };
}

export function registerPresence(r: Router<GraphCtx>): void {
  const get = (ctx: GraphCtx, id: string): ReturnType<typeof ok> => {
    requirePermission(ctx.auth, PERMS.presenceRead);
    return ok(ctx, presenceBody(ctx, presenceUser(ctx, id)));
  };
  r.get('/v1.0/users/:id/presence', (ctx, p) => get(ctx, p.id ?? ''));
  r.get('/v1.0/communications/presences/:id', (ctx, p) => get(ctx, p.id ?? ''));
  r.post('/v1.0/communications/getPresencesByUserId', getByIds);
  r.post('/v1.0/users/:id/presence/setPresence', (ctx, p) => setPresence(ctx, p.id ?? ''));
  r.post('/v1.0/users/:id/presence/clearPresence', (ctx, p) => clearPresence(ctx, p.id ?? ''));
  r.post('/v1.0/users/:id/presence/setUserPreferredPresence', (ctx, p) => {
    requirePermission(ctx.auth, PERMS.presenceWrite);
    const u = presenceUser(ctx, p.id ?? '');
    const body = bodyObject(ctx);
    ctx.svc.state.presence.setPreferred(u.data.id, u.ord, pairOf(body, PREFERRED_PAIRS), duration(body.expirationDuration, 7 * 86_400_000));
    return { status: 200, headers: {}, body: '' };
  });
  r.post('/v1.0/users/:id/presence/clearUserPreferredPresence', (ctx, p) => {
    requirePermission(ctx.auth, PERMS.presenceWrite);
    const u = presenceUser(ctx, p.id ?? '');
    ctx.svc.state.presence.setPreferred(u.data.id, u.ord, null, 0);
    return { status: 200, headers: {}, body: '' };
  });
}
