import type { Router } from '../http/router.js';
import type { GroupRecord, ObjectKind, UserRecord } from '../state/types.js';
import { bodyObject, noContent, type GraphCtx } from './context.js';
import { badRequest, notFound } from './errors.js';
import { GROUP_DEFAULTS, GROUP_PROPS, resolveGroup } from './groups.js';
import { listCollection } from './listing.js';
import { PERMS, requirePermission, type Permission } from './permissions.js';
import { USER_DEFAULTS, USER_PROPS } from './users.js';

interface DirObj {
  ord: number;
  kind: ObjectKind;
  data: object;
}

const ALL_PROPS = new Set([...USER_PROPS, ...GROUP_PROPS]);
const CASTS: Record<string, ObjectKind> = { 'microsoft.graph.user': 'user', 'microsoft.graph.group': 'group' };

function toObjects(ctx: GraphCtx, ids: Iterable<string>): DirObj[] {
  const dir = ctx.svc.state.directory;
  const out: DirObj[] = [];
  for (const id of ids) {
    const u: UserRecord | undefined = dir.findUser(id);
    const g: GroupRecord | undefined = u ? undefined : dir.findGroup(id);
    if (u) out.push({ ord: out.length + 1, kind: 'user', data: u.data });
    else if (g) out.push({ ord: out.length + 1, kind: 'group', data: g.data });
  }
  return out;
}

/** directoryObject collections: items carry @odata.type; a cast segment filters by type. */
function listObjects(ctx: GraphCtx, objects: DirObj[], context: string, cast: string | undefined): ReturnType<typeof listCollection> {
  const kind = cast === undefined ? undefined : CASTS[cast.toLowerCase()];
  if (cast !== undefined && !kind) badRequest(`Resource not found for the segment '${cast}'.`);
  return listCollection(ctx, {
    records: objects,
    data: (o) => o.data,
    known: ALL_PROPS,
    defaults: [...USER_DEFAULTS],
    defaultsOf: (o) => (o.kind === 'user' ? USER_DEFAULTS : GROUP_DEFAULTS),
    typeName: kind ?? 'directoryObject',
    context: kind ? `${context}/microsoft.graph.${kind}` : `directoryObjects`,
    where: kind ? (o) => o.kind === kind : undefined,
    decorate: (o, item) => ({ '@odata.type': `#microsoft.graph.${o.kind}`, ...item }),
  } as Parameters<typeof listCollection<DirObj>>[1]);
}

function groupMembers(ctx: GraphCtx, id: string, transitive: boolean, cast?: string): ReturnType<typeof listCollection> {
  requirePermission(ctx.auth, PERMS.memberRead);
  const g = resolveGroup(ctx, id);
  const ids = transitive ? ctx.svc.state.directory.transitiveMembers(g) : g.members;
  return listObjects(ctx, toObjects(ctx, ids), 'members', cast);
}

function memberOf(ctx: GraphCtx, id: string, transitive: boolean, cast?: string): ReturnType<typeof listCollection> {
  requirePermission(ctx.auth, PERMS.memberOfRead);
  const dir = ctx.svc.state.directory;
  const objectId = dir.findUser(id)?.data.id ?? dir.findGroup(id)?.data.id ?? notFound(id);
  const groups = transitive ? dir.transitiveMemberOf(objectId) : dir.memberOf(objectId);
  return listObjects(ctx, toObjects(ctx, groups.map((g) => g.data.id)), 'groups', cast);
}

/** `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/{id}"}` → id. */
function refTarget(ctx: GraphCtx): string {
  const ref = bodyObject(ctx)['@odata.id'];
  const id = typeof ref === 'string' ? /([0-9a-f-]{36})\/?$/i.exec(ref)?.[1] : undefined;
  return id ?? badRequest("Invalid URL format specified in @odata.id.", 'Request_BadRequest');
}

function addMember(ctx: GraphCtx, groupId: string): ReturnType<typeof noContent> {
  requirePermission(ctx.auth, PERMS.memberWrite);
  const g = resolveGroup(ctx, groupId);
  const memberId = refTarget(ctx);
  const dir = ctx.svc.state.directory;
  if (!dir.kindOf(memberId)) notFound(memberId);
  if (!dir.addMember(g, memberId)) {
    badRequest('One or more added object references already exist for the following modified properties: \'members\'.', 'Request_BadRequest');
  }
  return noContent(ctx);
}

function removeMember(ctx: GraphCtx, groupId: string, memberId: string): ReturnType<typeof noContent> {
  requirePermission(ctx.auth, PERMS.memberWrite);
  const g = resolveGroup(ctx, groupId);
  if (!ctx.svc.state.directory.removeMember(g, memberId)) notFound(memberId);
  return noContent(ctx);
}

const withPerm = (perm: Permission, fn: (ctx: GraphCtx, p: Record<string, string>) => ReturnType<typeof listCollection>) => (ctx: GraphCtx, p: Record<string, string>) => {
  requirePermission(ctx.auth, perm);
  return fn(ctx, p);
};

export function registerMembers(r: Router<GraphCtx>): void {
  for (const [seg, transitive] of [['members', false], ['transitiveMembers', true]] as const) {
    r.get(`/v1.0/groups/:id/${seg}`, (ctx, p) => groupMembers(ctx, p.id ?? '', transitive));
    r.get(`/v1.0/groups/:id/${seg}/:cast`, (ctx, p) => groupMembers(ctx, p.id ?? '', transitive, p.cast));
  }
  for (const [seg, transitive] of [['memberOf', false], ['transitiveMemberOf', true]] as const) {
    for (const coll of ['users', 'groups']) {
      r.get(`/v1.0/${coll}/:id/${seg}`, withPerm(PERMS.memberOfRead, (ctx, p) => memberOf(ctx, p.id ?? '', transitive)));
      r.get(`/v1.0/${coll}/:id/${seg}/:cast`, withPerm(PERMS.memberOfRead, (ctx, p) => memberOf(ctx, p.id ?? '', transitive, p.cast)));
    }
  }
  r.post('/v1.0/groups/:id/members/$ref', (ctx, p) => addMember(ctx, p.id ?? ''));
  r.delete('/v1.0/groups/:id/members/:member/$ref', (ctx, p) => removeMember(ctx, p.id ?? '', p.member ?? ''));
}
