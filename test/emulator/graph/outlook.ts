import type { Mailbox } from '../state/mailbox.js';
import type { UserRecord } from '../state/types.js';
import { collection, type GraphCtx } from './context.js';
import { badRequest, fail } from './errors.js';
import { evaluate, parseFilter } from './odata/filter.js';
import { linkWith, preferredPageSize } from './paging.js';
import { requirePermission, type Permission } from './permissions.js';

/**
 * Resolves the mailbox behind /users/{id}/… for Exchange-backed endpoints, with Exchange's
 * errors: unknown user, no mailbox (MailboxNotEnabledForRESTAPI), application access policy.
 */
export function resolveMailbox(ctx: GraphCtx, idOrUpn: string, perm: Permission): { user: UserRecord; box: Mailbox } {
  requirePermission(ctx.auth, perm);
  const user = ctx.svc.state.directory.findUser(idOrUpn);
  if (!user) return fail(404, 'ErrorInvalidUser', `The requested user '${idOrUpn}' is invalid.`);
  if (!user.mailbox.enabled) return fail(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  if (user.mailbox.accessDenied && ctx.auth.idtyp === 'app') {
    fail(403, 'ErrorAccessDenied', 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.');
  }
  return { user, box: ctx.svc.state.mailboxes.get(user) };
}

export const itemNotFound = (): never => fail(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

/** `@odata.etag` is the changeKey in a weak ETag. */
export const withEtag = <T extends { changeKey: string }>(item: T): Record<string, unknown> => ({ '@odata.etag': `W/"${item.changeKey}"`, ...item });

/**
 * Outlook collections: 10 items by default, `$top` or `Prefer: odata.maxpagesize` to change it,
 * nextLinks carry `$skip`. https://learn.microsoft.com/graph/paging
 */
export function outlookPage<T>(ctx: GraphCtx, items: readonly T[], context: string, toItem: (t: T) => Record<string, unknown>): ReturnType<typeof collection> {
  const q = ctx.req.query;
  const rawTop = q.get('$top');
  const top = rawTop === null ? preferredPageSize(ctx.req, 10) : Number(rawTop);
  if (!Number.isInteger(top) || top < 1 || top > 1000) badRequest(`The value '${rawTop ?? ''}' of the query parameter '$top' is invalid.`, 'ErrorInvalidUrlQuery');
  const skip = Number(q.get('$skip') ?? 0);
  const rawFilter = q.get('$filter');
  const filter = rawFilter ? parseFilter(rawFilter) : null;
  const mapped = items.map(toItem).filter((i) => !filter || evaluate(filter, i));
  const select = q.get('$select')?.split(',').map((s) => s.trim());
  const page = mapped.slice(skip, skip + top).map((i) => (select ? projectOutlook(i, select) : i));
  const next = skip + top < mapped.length ? linkWith(ctx.req, [['$top', String(top)], ['$skip', String(skip + top)]]) : undefined;
  return collection(ctx, context, page, { next });
}

/** Outlook always returns id and @odata.etag besides the selected properties. */
function projectOutlook(item: Record<string, unknown>, select: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': item['@odata.etag'], id: item.id };
  for (const key of select) if (key in item) out[key] = item[key];
  return out;
}
