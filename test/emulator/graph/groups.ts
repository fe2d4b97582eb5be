import type { Router } from '../http/router.js';
import { text } from '../http/types.js';
import type { GroupData, GroupRecord } from '../state/types.js';
import { bodyObject, noContent, ok, type GraphCtx } from './context.js';
import { badRequest, fail, graphHeaders, notFound } from './errors.js';
import { countMatching, listCollection, type ListSpec } from './listing.js';
import { keysOf, project } from './odata/select.js';
import { PERMS, requirePermission } from './permissions.js';

const SAMPLE: GroupData = {
  id: '', displayName: '', description: null, mail: null, mailEnabled: false, mailNickname: '', securityEnabled: true,
  groupTypes: [], visibility: null, membershipRule: null, createdDateTime: '',
};
export const GROUP_PROPS = keysOf(SAMPLE);
export const GROUP_DEFAULTS = [...GROUP_PROPS];

export function groupSpec(ctx: GraphCtx, records: readonly GroupRecord[] = ctx.svc.state.directory.groups): ListSpec<GroupRecord> {
  return {
    records,
    data: (r) => r.data,
    known: GROUP_PROPS,
    defaults: GROUP_DEFAULTS,
    typeName: 'group',
    context: 'groups',
    searchable: ['displayName', 'description', 'mail', 'mailNickname'],
  };
}

export function resolveGroup(ctx: GraphCtx, id: string): GroupRecord {
  return ctx.svc.state.directory.findGroup(id) ?? notFound(id);
}

const WRITABLE = new Set(['displayName', 'description', 'mailEnabled', 'mailNickname', 'securityEnabled', 'groupTypes', 'visibility', 'membershipRule']);

function groupPatch(body: Record<string, unknown>): Partial<GroupData> {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata') || k === 'members@odata.bind' || k === 'owners@odata.bind') continue;
    if (!WRITABLE.has(k)) badRequest(`Invalid property '${k}'.`, 'Request_BadRequest');
    patch[k] = v;
  }
  return patch;
}

function createGroup(ctx: GraphCtx): ReturnType<typeof ok> {
  requirePermission(ctx.auth, PERMS.groupWrite);
  const body = bodyObject(ctx);
  for (const req of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled']) {
    if (body[req] === undefined) badRequest(`Invalid value specified for property '${req}' of resource 'Group'.`, 'Request_BadRequest');
  }
  const { state } = ctx.svc;
  const data: GroupData = { ...SAMPLE, id: crypto.randomUUID(), createdDateTime: state.clock.iso(), ...groupPatch(body) };
  if (data.groupTypes.includes('Unified')) data.mail = `${data.mailNickname}@${state.tenant.domain}`;
  const rec = state.directory.addGroup(data);
  const binds = body['members@odata.bind'];
  if (Array.isArray(binds)) for (const b of binds) state.directory.addMember(rec, String(b).split('/').pop() ?? '');
  return ok(ctx, { '@odata.context': `${ctx.base}/$metadata#groups/$entity`, ...rec.data }, 201);
}

function countGroups(ctx: GraphCtx): ReturnType<typeof ok> {
  requirePermission(ctx.auth, PERMS.groupRead);
  if ((ctx.req.headers.consistencylevel ?? '').toLowerCase() !== 'eventual') fail(400, 'Request_BadRequest', 'Count is not currently supported.');
  return text(200, String(countMatching(ctx, groupSpec(ctx))), 'text/plain', graphHeaders(ctx.ids));
}

export function registerGroups(r: Router<GraphCtx>): void {
  r.get('/v1.0/groups', (ctx) => {
    requirePermission(ctx.auth, PERMS.groupRead);
    return listCollection(ctx, groupSpec(ctx));
  });
  r.get('/v1.0/groups/$count', countGroups);
  r.post('/v1.0/groups', createGroup);
  r.get('/v1.0/groups/:id', (ctx, p) => {
    requirePermission(ctx.auth, PERMS.groupRead);
    const g = resolveGroup(ctx, p.id ?? '');
    const sel = ctx.req.query.get('$select');
    const data = sel ? project(g.data, sel.split(',').map((s) => s.trim())) : g.data;
    return ok(ctx, { '@odata.context': `${ctx.base}/$metadata#groups/$entity`, ...data });
  });
  r.patch('/v1.0/groups/:id', (ctx, p) => {
    requirePermission(ctx.auth, PERMS.groupWrite);
    ctx.svc.state.directory.updateGroup(resolveGroup(ctx, p.id ?? ''), groupPatch(bodyObject(ctx)));
    return noContent(ctx);
  });
  r.delete('/v1.0/groups/:id', (ctx, p) => {
    requirePermission(ctx.auth, PERMS.groupWrite);
    ctx.svc.state.directory.softDeleteGroup(resolveGroup(ctx, p.id ?? ''));
    return noContent(ctx);
  });
}
