import { textOf } from '../http/types.js';
import { lowerBound } from '../state/directory.js';
import { badRequest, fail } from './errors.js';
import { collection, type GraphCtx } from './context.js';
import { evaluate, filterPaths, isAdvanced, parseFilter, type FilterNode } from './odata/filter.js';
import { parseSelect, project } from './odata/select.js';
import { linkWith, readSkipToken, skipToken, topOrDefault } from './paging.js';

export interface ListSpec<R extends { ord: number }> {
  records: readonly R[];
  data: (r: R) => object;
  /** Properties that exist on the type (for $select / $filter validation). */
  known: ReadonlySet<string>;
  /** Default projection when $select is absent. */
  defaults: readonly string[];
  typeName: string;
  /** @odata.context fragment, e.g. "users". */
  context: string;
  /** Extra properties every item carries (e.g. @odata.type in member lists). */
  decorate?: (r: R, item: Record<string, unknown>) => Record<string, unknown>;
  /** Extra fixed predicate (e.g. the microsoft.graph.user cast). */
  where?: (r: R) => boolean;
  /** Allowed $search properties (none: $search is a 400). */
  searchable?: readonly string[];
  /** Per-item default projection for mixed collections (users and groups in members). */
  defaultsOf?: (r: R) => readonly string[];
}

interface Query {
  select: readonly string[];
  explicitSelect: boolean;
  filter: FilterNode | null;
  search: ((o: Record<string, unknown>) => boolean) | null;
  orderBy: { prop: string; desc: boolean } | null;
  eventual: boolean;
  count: boolean;
}

/**
 * "Advanced query" rules: ConsistencyLevel: eventual (+ $count=true for filters) is required
 * for ne/not/endsWith/$search/$filter+$orderby. https://learn.microsoft.com/graph/aad-advanced-queries
 */
function parseQuery<R extends { ord: number }>(ctx: GraphCtx, spec: ListSpec<R>, countPath = false): Query {
  const q = ctx.req.query;
  const eventual = (ctx.req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
  const count = countPath || q.get('$count')?.toLowerCase() === 'true';
  const explicit = parseSelect(q.get('$select'), spec.known, spec.typeName);
  const select = explicit ?? spec.defaults;
  const rawFilter = q.get('$filter');
  const filter = rawFilter ? parseFilter(rawFilter) : null;
  for (const path of filter ? filterPaths(filter) : []) {
    const head = path.split('/')[0] ?? '';
    if (!spec.known.has(head)) badRequest(`Could not find a property named '${head}' on type 'microsoft.graph.${spec.typeName}'.`, 'Request_BadRequest');
  }
  if (filter && isAdvanced(filter) && !(eventual && count)) {
    fail(400, 'Request_UnsupportedQuery', "Unsupported property filter clause operator 'NotEqualsMatch'. Advanced queries need the ConsistencyLevel: eventual header and $count=true.");
  }
  const rawSearch = q.get('$search');
  if (rawSearch !== null && !eventual) {
    badRequest("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'", 'Request_UnsupportedQuery');
  }
  const search = rawSearch === null ? null : parseSearch(rawSearch, spec.searchable ?? []);
  const rawOrder = q.get('$orderby');
  let orderBy: Query['orderBy'] = null;
  if (rawOrder) {
    const [prop = '', dir = 'asc'] = rawOrder.trim().split(/\s+/);
    if (!['displayName', 'userPrincipalName', 'mail'].includes(prop)) fail(400, 'Request_UnsupportedQuery', `Sorting not supported for '${prop}'.`);
    if (filter && !(eventual && count)) fail(400, 'Request_UnsupportedQuery', 'Sorting not supported for current query.');
    orderBy = { prop, desc: dir.toLowerCase() === 'desc' };
  }
  return { select, explicitSelect: explicit !== null, filter, search, orderBy, eventual, count };
}

/** `$search="displayName:ali" AND "mail:contoso"`: tokenised prefix match, as the directory does. */
function parseSearch(raw: string, searchable: readonly string[]): (o: Record<string, unknown>) => boolean {
  const clauses = raw.split(/\s+(AND|OR)\s+/);
  const terms: { prop: string; value: string }[] = [];
  const joins: string[] = [];
  for (const c of clauses) {
    if (c === 'AND' || c === 'OR') joins.push(c);
    else {
      const m = /^"([^:"]+):([^"]*)"$/.exec(c.trim());
      if (!m || !searchable.includes(m[1] ?? '')) badRequest(`Invalid $search clause ${c}.`, 'Request_UnsupportedQuery');
      terms.push({ prop: m?.[1] ?? '', value: (m?.[2] ?? '').toLowerCase() });
    }
  }
  const hit = (o: Record<string, unknown>, t: { prop: string; value: string }): boolean => {
    const v = o[t.prop];
    return typeof v === 'string' && v.toLowerCase().split(/[\s.@_-]+/).some((w) => w.startsWith(t.value));
  };
  return (o) => terms.reduce<boolean>((acc, t, i) => (i === 0 ? hit(o, t) : joins[i - 1] === 'OR' ? acc || hit(o, t) : acc && hit(o, t)), false);
}

function matcher<R extends { ord: number }>(spec: ListSpec<R>, q: Query): (r: R) => boolean {
  return (r) => {
    if (spec.where && !spec.where(r)) return false;
    const d = spec.data(r);
    if (q.filter && !evaluate(q.filter, d)) return false;
    return !q.search || q.search(d as Record<string, unknown>);
  };
}

/** A paged, filtered, projected directory collection, following Graph's rules. */
export function listCollection<R extends { ord: number }>(ctx: GraphCtx, spec: ListSpec<R>, defaultTop = 100): ReturnType<typeof collection> {
  const q = parseQuery(ctx, spec);
  const top = topOrDefault(ctx.req, defaultTop);
  const matches = matcher(spec, q);
  const toItem = (r: R): Record<string, unknown> => {
    const select = !q.explicitSelect && spec.defaultsOf ? spec.defaultsOf(r) : q.select;
    const item = project(spec.data(r), select);
    return spec.decorate ? spec.decorate(r, item) : item;
  };
  const token = readSkipToken<{ ord?: number; off?: number }>(ctx.req);
  const wantCount = q.eventual && q.count && !token;
  let page: R[];
  let next: object | null = null;
  let total: number | undefined;
  if (q.orderBy || q.search) {
    const all = spec.records.filter(matches);
    if (q.orderBy) sortBy(all, spec, q.orderBy);
    const off = token?.off ?? 0;
    page = all.slice(off, off + top);
    if (off + top < all.length) next = { off: off + top };
    total = all.length;
  } else {
    const res = scanPage(spec.records, token?.ord ?? 0, matches, top);
    page = res.items;
    if (res.nextOrd !== null) next = { ord: res.nextOrd };
    if (wantCount) total = spec.records.reduce((n, r) => (matches(r) ? n + 1 : n), 0);
  }
  const nextLink = next ? linkWith(ctx.req, [['$skiptoken', skipToken(next)]]) : undefined;
  return collection(ctx, spec.context, page.map(toItem), { next: nextLink, count: wantCount ? total : undefined });
}

function sortBy<R extends { ord: number }>(all: R[], spec: ListSpec<R>, order: { prop: string; desc: boolean }): void {
  const key = (r: R): string => textOf((spec.data(r) as Record<string, unknown>)[order.prop]).toLowerCase();
  all.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.ord - b.ord) * (order.desc ? -1 : 1));
}

/** Scans ord-sorted records from `fromOrd`, collecting up to `size` matches. */
export function scanPage<R extends { ord: number }>(records: readonly R[], fromOrd: number, pred: (r: R) => boolean, size: number): { items: R[]; nextOrd: number | null } {
  const items: R[] = [];
  let i = lowerBound(records, fromOrd);
  for (; i < records.length && items.length < size; i++) {
    const r = records[i];
    if (r && pred(r)) items.push(r);
  }
  const following = records[i];
  return { items, nextOrd: following ? following.ord : null };
}

/** Counts matching records (for /users/$count and $count=true). */
export function countMatching<R extends { ord: number }>(ctx: GraphCtx, spec: ListSpec<R>): number {
  const q = parseQuery(ctx, spec, true);
  const matches = matcher(spec, q);
  return spec.records.reduce((n, r) => (matches(r) ? n + 1 : n), 0);
}
