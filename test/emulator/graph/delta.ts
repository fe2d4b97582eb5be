import type { Router } from '../http/router.js';
import type { GroupRecord, ObjectKind, UserRecord } from '../state/types.js';
import { decodeToken, encodeToken } from '../util/encoding.js';
import { collection, type GraphCtx } from './context.js';
import { coalesce, type Coalesced } from './delta-coalesce.js';
import { badRequest, fail } from './errors.js';
import { GROUP_DEFAULTS, GROUP_PROPS } from './groups.js';
import { parseFilter, type FilterNode } from './odata/filter.js';
import { parseSelect, project } from './odata/select.js';
import { scanPage } from './listing.js';
import { lowerBound } from '../state/directory.js';
import { preferredPageSize, prefers, readSkipToken } from './paging.js';
import { PERMS, requirePermission } from './permissions.js';
import { USER_DEFAULTS, USER_PROPS } from './users.js';

/** Directory delta links live 7 days. https://devblogs.microsoft.com/microsoft365dev/duration-of-change-tracking-tokens-for-identity-and-education-resources/ */
const DELTA_TTL_MS = 7 * 86_400_000;

type Resource = 'users' | 'groups';

interface DeltaState {
  r: Resource;
  g: number;
  s: number;
  sel: string[];
  ids: string[] | null;
  iat: number;
}

/** `m`: how many member references of the group at `o` (initial round) or `off` (change round) earlier pages carried. */
type PageToken = DeltaState & ({ p: 'init'; o: number; m?: number } | { p: 'chg'; u: number; off: number; m?: number });

const kindOf = (r: Resource): ObjectKind => (r === 'users' ? 'user' : 'group');

/** Delta $filter: only `id eq '…'` clauses joined by `or`, at most 50. */
function idFilter(node: FilterNode, out: string[] = []): string[] {
  if (node.t === 'or') {
    idFilter(node.l, out);
    idFilter(node.r, out);
  } else if (node.t === 'cmp' && node.op === 'eq' && node.path === 'id' && typeof node.value === 'string') out.push(node.value);
  else badRequest('Unsupported query: delta supports only $filter=id eq \'…\' clauses joined by or.', 'Request_UnsupportedQuery');
  if (out.length > 50) badRequest('Too many ids in $filter: at most 50.', 'Request_UnsupportedQuery');
  return out;
}

function startState(ctx: GraphCtx, r: Resource): DeltaState {
  const q = ctx.req.query;
  const known = r === 'users' ? USER_PROPS : new Set([...GROUP_PROPS, 'members']);
  const sel = parseSelect(q.get('$select'), known, r === 'users' ? 'user' : 'group') ?? [...(r === 'users' ? USER_DEFAULTS : GROUP_DEFAULTS)];
  if (!sel.includes('id')) sel.push('id');
  if (q.has('$top') || q.has('$orderby')) badRequest('$top and $orderby are not supported on delta queries.', 'Request_UnsupportedQuery');
  const rawFilter = q.get('$filter');
  const log = ctx.svc.state.directory.log;
  return { r, g: log.generation, s: log.seq, sel, ids: rawFilter ? idFilter(parseFilter(rawFilter)) : null, iat: ctx.svc.state.clock.now() };
}

/** Expired or invalidated token: 400 syncStateNotFound by default, or 410 Gone + Location when the control API asks. */
function expired(ctx: GraphCtx, state: DeltaState): never {
  if (ctx.svc.settings.deltaExpiredStatus === 410) {
    const location = `${ctx.base}/${state.r}/delta?$select=${state.sel.join(',')}`;
    return fail(410, 'resyncRequired', 'The delta token is no longer valid; the client must perform a full resynchronization (synchronization reset).', { location });
  }
  return fail(400, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');
}

function checkAlive(ctx: GraphCtx, s: DeltaState): void {
  if (s.g !== ctx.svc.state.directory.log.generation || ctx.svc.state.clock.now() - s.iat > DELTA_TTL_MS) expired(ctx, s);
}

function memberRef(id: string, kind: ObjectKind, removed: boolean): Record<string, unknown> {
  const ref: Record<string, unknown> = { '@odata.type': `#microsoft.graph.${kind}`, id };
  if (removed) ref['@removed'] = { reason: 'deleted' };
  return ref;
}

/**
 * An object in full (first round, or created since the last one). Properties without a value are
 * left out rather than null: "If the property has never been set before it will not be included in
 * the response at all" (user: delta, learn.microsoft.com/graph/api/user-delta). A property cleared
 * later comes as null in the round that reports the change (changeItem).
 */
function fullItem(ctx: GraphCtx, s: DeltaState, rec: UserRecord | GroupRecord, members = 'members' in rec ? [...rec.members] : []): Record<string, unknown> {
  const item = Object.fromEntries(Object.entries(project(rec.data, s.sel.filter((p) => p !== 'members'))).filter(([, value]) => value !== null));
  if (s.sel.includes('members') && 'members' in rec) {
    const dir = ctx.svc.state.directory;
    item['members@delta'] = members.map((m) => memberRef(m, dir.kindOf(m) ?? 'user', false));
  }
  return item;
}

function findRecord(ctx: GraphCtx, r: Resource, id: string): UserRecord | GroupRecord | undefined {
  const dir = ctx.svc.state.directory;
  return r === 'users' ? dir.findUser(id) : dir.findGroup(id);
}

/** One delta item for a coalesced change, or null when nothing selected changed. */
function changeItem(ctx: GraphCtx, s: DeltaState, c: Coalesced, minimal: boolean): Record<string, unknown> | null {
  if (c.removed) return { '@odata.type': `#microsoft.graph.${kindOf(s.r)}`, id: c.id, '@removed': { reason: c.removed } };
  const rec = findRecord(ctx, s.r, c.id);
  if (!rec) return null;
  if (c.created) return fullItem(ctx, s, rec);
  const changed = s.sel.filter((p) => c.props.has(p));
  const members = s.sel.includes('members') ? [...[...c.memberAdds].map(([id, k]) => memberRef(id, k, false)), ...[...c.memberRemoves].map(([id, k]) => memberRef(id, k, true))] : [];
  if (changed.length === 0 && members.length === 0) return null;
  const item = minimal ? { id: c.id, ...project(rec.data, changed) } : project(rec.data, s.sel.filter((p) => p !== 'members'));
  if (members.length > 0) item['members@delta'] = members;
  return item;
}

function links(ctx: GraphCtx, r: Resource, next: PageToken | null, done: DeltaState): { next?: string; delta?: string } {
  const base = `${ctx.base}/${r}/delta`;
  return next ? { next: `${base}?$skiptoken=${encodeToken(next)}` } : { delta: `${base}?$deltatoken=${encodeToken(done)}` };
}

function initialPage(ctx: GraphCtx, t: PageToken & { p: 'init' }, size: number): { items: unknown[]; next: PageToken | null } {
  const dir = ctx.svc.state.directory;
  const ids = t.ids ? new Set(t.ids) : null;
  if (t.r === 'groups' && t.sel.includes('members')) return initialGroupPage(ctx, t, size, ids);
  const records: readonly (UserRecord | GroupRecord)[] = t.r === 'users' ? dir.users : dir.groups;
  const page = scanPage(records, t.o, (rec) => !ids || ids.has(rec.data.id), size);
  return { items: page.items.map((rec) => fullItem(ctx, t, rec)), next: page.nextOrd === null ? null : { ...t, o: page.nextOrd } };
}

/**
 * Groups with their members: a page carries at most `memberRefsPerPage` member references, and a
 * group with more repeats on the following pages with the next slice of members@delta, which the
 * client merges (https://learn.microsoft.com/graph/delta-query-groups; where Graph splits is not
 * documented, hence a setting).
 */
function initialGroupPage(ctx: GraphCtx, t: PageToken & { p: 'init' }, size: number, ids: Set<string> | null): { items: unknown[]; next: PageToken | null } {
  const groups = ctx.svc.state.directory.groups;
  const budget = ctx.svc.settings.memberRefsPerPage;
  const items: unknown[] = [];
  let refs = 0;
  let skip = t.m ?? 0;
  let i = lowerBound(groups, t.o);
  for (; i < groups.length && items.length < size && refs < budget; i++, skip = 0) {
    const rec = groups[i];
    if (!rec || (ids && !ids.has(rec.data.id))) continue;
    const members = [...rec.members];
    const slice = members.slice(skip, skip + budget - refs);
    items.push(fullItem(ctx, t, rec, slice));
    refs += slice.length;
    if (skip + slice.length < members.length) return { items, next: { ...t, o: rec.ord, m: skip + slice.length } };
  }
  const following = groups[i];
  return { items, next: following ? { ...t, o: following.ord, m: 0 } : null };
}

/** A change round pages member references as an initial round does: a group with more repeats with the next slice. */
function changesPage(ctx: GraphCtx, t: PageToken & { p: 'chg' }, size: number): { items: unknown[]; next: PageToken | null } {
  const ids = t.ids ? new Set(t.ids) : null;
  const all = coalesce(ctx.svc.state.directory.log.between(t.s, t.u), kindOf(t.r)).filter((c) => !ids || ids.has(c.id));
  const minimal = prefers(ctx.req, 'return=minimal');
  const budget = ctx.svc.settings.memberRefsPerPage;
  const items: unknown[] = [];
  let refs = 0;
  let off = t.off;
  for (let skip = t.m ?? 0; off < all.length && items.length < size && refs < budget; off++, skip = 0) {
    const c = all[off];
    const item = c ? changeItem(ctx, t, c, minimal) : null;
    if (!item) continue;
    const members = item['members@delta'] as unknown[] | undefined;
    if (!members) {
      items.push(item);
      continue;
    }
    const slice = members.slice(skip, skip + budget - refs);
    items.push({ ...item, 'members@delta': slice });
    refs += slice.length;
    if (skip + slice.length < members.length) return { items, next: { ...t, off, m: skip + slice.length } };
  }
  return { items, next: off < all.length ? { ...t, off, m: 0 } : null };
}

function delta(ctx: GraphCtx, r: Resource): ReturnType<typeof collection> {
  requirePermission(ctx.auth, r === 'users' ? PERMS.userRead : PERMS.groupRead);
  const q = ctx.req.query;
  const log = ctx.svc.state.directory.log;
  const size = preferredPageSize(ctx.req, 100, 999);
  const headers = prefers(ctx.req, 'return=minimal') ? { 'preference-applied': 'return=minimal' } : {};
  const rawDelta = q.get('$deltatoken');
  let token: PageToken;
  if (rawDelta === 'latest') {
    // "Sync from now": only a deltaLink, no data. https://learn.microsoft.com/graph/delta-query-overview
    return collection(ctx, `${r}`, [], links(ctx, r, null, startState(ctx, r)), headers);
  } else if (rawDelta !== null) {
    const state = decodeToken<DeltaState>(rawDelta) ?? badRequest('Invalid delta token.', 'Request_BadRequest');
    checkAlive(ctx, state);
    token = { ...state, p: 'chg', u: log.seq, off: 0 };
  } else {
    token = readSkipToken<PageToken>(ctx.req) ?? { ...startState(ctx, r), p: 'init', o: 0 };
    checkAlive(ctx, token);
  }
  const page = token.p === 'init' ? initialPage(ctx, token, size) : changesPage(ctx, token, size);
  const reached = token.p === 'init' ? token.s : token.u;
  const done: DeltaState = { r, g: token.g, s: reached, sel: token.sel, ids: token.ids, iat: ctx.svc.state.clock.now() };
  return collection(ctx, `${r}`, page.items, links(ctx, r, page.next, done), headers);
}

export function registerDelta(router: Router<GraphCtx>): void {
  router.get('/v1.0/users/delta', (ctx) => delta(ctx, 'users'));
  router.get('/v1.0/groups/delta', (ctx) => delta(ctx, 'groups'));
  // The fully qualified function name works too.
  router.get('/v1.0/users/microsoft.graph.delta', (ctx) => delta(ctx, 'users'));
  router.get('/v1.0/groups/microsoft.graph.delta', (ctx) => delta(ctx, 'groups'));
}
