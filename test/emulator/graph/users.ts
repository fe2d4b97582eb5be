import type { Router } from '../http/router.js';
import { text } from '../http/types.js';
import { blankUser } from '../state/seed.js';
import type { UserData, UserRecord } from '../state/types.js';
import { bodyObject, noContent, ok, type GraphCtx } from './context.js';
import { badRequest, fail, graphHeaders, notFound } from './errors.js';
import { countMatching, listCollection, type ListSpec } from './listing.js';
import { keysOf, project } from './odata/select.js';
import { PERMS, requirePermission } from './permissions.js';

export const USER_PROPS = keysOf(blankUser('', '', '', 0));

/** What GET /users returns without $select. https://learn.microsoft.com/graph/api/user-list */
export const USER_DEFAULTS = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'] as const;

const WRITABLE = new Set<string>([
  'accountEnabled', 'displayName', 'givenName', 'surname', 'mail', 'jobTitle', 'department', 'officeLocation', 'mobilePhone',
  'businessPhones', 'employeeId', 'onPremisesExtensionAttributes', 'userType', 'usageLocation', 'preferredLanguage', 'companyName',
  'city', 'country', 'userPrincipalName', 'mailNickname', 'otherMails', 'passwordProfile',
]);

export function userSpec(ctx: GraphCtx, records: readonly UserRecord[] = ctx.svc.state.directory.users): ListSpec<UserRecord> {
  return {
    records,
    data: (r) => r.data,
    known: USER_PROPS,
    defaults: USER_DEFAULTS,
    typeName: 'user',
    context: 'users',
    searchable: ['displayName', 'mail', 'userPrincipalName', 'givenName', 'surname', 'jobTitle', 'department'],
  };
}

/** /users/{id | userPrincipalName}: 404 Request_ResourceNotFound when absent. */
export function resolveUser(ctx: GraphCtx, idOrUpn: string): UserRecord {
  return ctx.svc.state.directory.findUser(idOrUpn) ?? notFound(idOrUpn);
}

function getUser(ctx: GraphCtx, id: string): ReturnType<typeof ok> {
  requirePermission(ctx.auth, PERMS.userRead);
  const user = resolveUser(ctx, id);
  const select = ctx.req.query.get('$select');
  const props = select ? select.split(',').map((s) => s.trim()) : [...USER_DEFAULTS];
  for (const p of props) if (!USER_PROPS.has(p)) badRequest(`Could not find a property named '${p}' on type 'microsoft.graph.user'.`, 'Request_BadRequest');
  return ok(ctx, { '@odata.context': `${ctx.base}/$metadata#users/$entity`, ...project(user.data, props) });
}

/** Validates a create/update body against writable properties; returns a typed patch. */
function toPatch(body: Record<string, unknown>, current: UserData | null): Partial<UserData> {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata')) continue;
    if (!WRITABLE.has(key)) badRequest(`Invalid property '${key}'.`, 'Request_BadRequest');
    if (key === 'passwordProfile') continue;
    // Complex property: PATCH merges the attributes given, keeping the others.
    if (key === 'onPremisesExtensionAttributes' && typeof value === 'object' && value !== null) {
      patch[key] = { ...(current?.onPremisesExtensionAttributes ?? {}), ...(value as Record<string, string | null>) };
    } else patch[key] = value;
  }
  return patch;
}

function createUser(ctx: GraphCtx): ReturnType<typeof ok> {
  requirePermission(ctx.auth, PERMS.userWrite);
  const body = bodyObject(ctx);
  for (const req of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile']) {
    if (body[req] === undefined || body[req] === null) badRequest(`Invalid value specified for property '${req}' of resource 'User'.`, 'Request_BadRequest');
  }
  const { state } = ctx.svc;
  const upn = String(body.userPrincipalName);
  const domain = upn.split('@')[1]?.toLowerCase();
  if (domain !== state.tenant.domain) badRequest('The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.', 'Request_BadRequest');
  if (state.directory.findUser(upn)) badRequest('Another object with the same value for property userPrincipalName already exists.', 'Request_BadRequest');
  const data = blankUser(crypto.randomUUID(), upn, String(body.displayName), state.clock.now());
  Object.assign(data, toPatch(body, data));
  const rec = state.directory.addUser(data, { mailbox: { enabled: data.userType === 'Member', shared: false, accessDenied: false } });
  return ok(ctx, { '@odata.context': `${ctx.base}/$metadata#users/$entity`, ...project(rec.data, [...USER_DEFAULTS]) }, 201, {
    location: `${ctx.base}/users/${rec.data.id}`,
  });
}

function patchUser(ctx: GraphCtx, id: string): ReturnType<typeof ok> {
  requirePermission(ctx.auth, PERMS.userWrite);
  const user = resolveUser(ctx, id);
  const patch = toPatch(bodyObject(ctx), user.data);
  if (patch.userPrincipalName && ctx.svc.state.directory.findUser(patch.userPrincipalName) && ctx.svc.state.directory.findUser(patch.userPrincipalName) !== user) {
    badRequest('Another object with the same value for property userPrincipalName already exists.', 'Request_BadRequest');
  }
  ctx.svc.state.directory.updateUser(user, patch);
  return noContent(ctx);
}

function deleteUser(ctx: GraphCtx, id: string): ReturnType<typeof ok> {
  requirePermission(ctx.auth, PERMS.userWrite);
  ctx.svc.state.directory.softDeleteUser(resolveUser(ctx, id));
  return noContent(ctx);
}

function countUsers(ctx: GraphCtx): ReturnType<typeof ok> {
  requirePermission(ctx.auth, PERMS.userRead);
  if ((ctx.req.headers.consistencylevel ?? '').toLowerCase() !== 'eventual') {
    fail(400, 'Request_BadRequest', 'Count is not currently supported.');
  }
  return text(200, String(countMatching(ctx, userSpec(ctx))), 'text/plain', graphHeaders(ctx.ids));
}

export function registerUsers(r: Router<GraphCtx>): void {
  r.get('/v1.0/users', (ctx) => {
    requirePermission(ctx.auth, PERMS.userRead);
    return listCollection(ctx, userSpec(ctx));
  });
  r.get('/v1.0/users/$count', countUsers);
  r.post('/v1.0/users', createUser);
  r.get('/v1.0/users/:id', (ctx, p) => getUser(ctx, p.id ?? ''));
  r.patch('/v1.0/users/:id', (ctx, p) => patchUser(ctx, p.id ?? ''));
  r.delete('/v1.0/users/:id', (ctx, p) => deleteUser(ctx, p.id ?? ''));
}
