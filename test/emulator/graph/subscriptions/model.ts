import type { AccessClaims } from '../../entra/tokens.js';
import { badRequest } from '../errors.js';
import { PERMS, type Permission } from '../permissions.js';

export type SubKind = 'users' | 'groups' | 'members' | 'contacts' | 'events' | 'presence';

/** What a subscription watches, parsed from its `resource`. */
export interface Target {
  kind: SubKind;
  /** User id/UPN for user-scoped resources, group id for members; undefined for whole collections. */
  id?: string;
  folderId?: string;
  presenceIds?: string[];
}

/** The subscription resource as Graph returns it, plus emulator bookkeeping. */
export interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  applicationId: string;
  creatorId: string;
  includeResourceData: boolean;
  latestSupportedTlsVersion: string;
  encryptionCertificate: null;
  encryptionCertificateId: null;
  notificationQueryOptions: null;
  notificationUrlAppId: null;
}

export interface SubscriptionRecord {
  sub: Subscription;
  target: Target;
  expiresAt: number;
  /** Set by a reauthorizationRequired lifecycle event until reauthorize/renew. */
  needsReauth: boolean;
}

const MINUTES = 60_000;

/**
 * Maximum lifetime per resource. https://learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime
 */
export const MAX_MINUTES: Record<SubKind, number> = {
  users: 41_760,
  groups: 41_760,
  members: 41_760,
  contacts: 10_080,
  events: 10_080,
  presence: 60,
};

export const ALLOWED_CHANGES: Record<SubKind, readonly string[]> = {
  // Directory objects: creation and soft deletion arrive as "updated".
  users: ['updated', 'deleted'],
  groups: ['updated', 'deleted'],
  members: ['updated', 'deleted'],
  contacts: ['created', 'updated', 'deleted'],
  events: ['created', 'updated', 'deleted'],
  presence: ['updated'],
};

export const permissionFor = (kind: SubKind): Permission =>
  ({ users: PERMS.userRead, groups: PERMS.groupRead, members: PERMS.memberRead, contacts: PERMS.contactsRead, events: PERMS.calendarRead, presence: PERMS.presenceRead })[kind];

/** Parses `resource` (with or without a leading slash, case-insensitive). */
export function parseResource(resource: string, auth: AccessClaims): Target {
  const raw = resource.replace(/^\/+/, '').replace(/^me\//i, `users/${auth.oid}/`);
  const [path = '', query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  const [, b, c, d] = parts;
  const lower = parts.map((x) => x.toLowerCase());
  if (lower.length === 1 && lower[0] === 'users') return { kind: 'users' };
  if (lower.length === 2 && lower[0] === 'users' && b) return { kind: 'users', id: b };
  if (lower.length === 1 && lower[0] === 'groups') return { kind: 'groups' };
  if (lower.length === 2 && lower[0] === 'groups' && b) return { kind: 'groups', id: b };
  if (lower.length === 3 && lower[0] === 'groups' && lower[2] === 'members' && b) return { kind: 'members', id: b };
  if (lower[0] === 'users' && b && lower.length === 3 && lower[2] === 'contacts') return { kind: 'contacts', id: b };
  if (lower[0] === 'users' && b && lower.length === 5 && lower[2] === 'contactfolders' && lower[4] === 'contacts' && d) return { kind: 'contacts', id: b, folderId: d };
  if (lower[0] === 'users' && b && ((lower.length === 3 && lower[2] === 'events') || (lower.length === 4 && lower[2] === 'calendar' && lower[3] === 'events'))) return { kind: 'events', id: b };
  if (lower[0] === 'communications' && lower[1] === 'presences') return { kind: 'presence', presenceIds: presenceIds(c, query) };
  return badRequest(`Resource '${resource}' is not supported for change notifications.`, 'InvalidRequest');
}

/** `communications/presences?$filter=id in ('a','b')` or `communications/presences/{id}`. */
function presenceIds(single: string | undefined, query: string): string[] {
  if (single) return [single.replace(/^\('?|'?\)$/g, '')];
  const filter = new URLSearchParams(query).get('$filter') ?? '';
  const ids = [...filter.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
  if (ids.length === 0 || ids.length > 650) badRequest('Presence subscriptions need $filter=id in (…) with 1 to 650 ids.', 'InvalidRequest');
  return ids;
}

export function checkExpiry(kind: SubKind, iso: unknown, now: number): number {
  const at = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) return badRequest('expirationDateTime is required and must be an ISO 8601 date.', 'InvalidRequest');
  if (at <= now) return badRequest('Subscription expiration must be in the future.', 'InvalidRequest');
  if (at - now > MAX_MINUTES[kind] * MINUTES) {
    return badRequest(`Subscription expiration can only be ${MAX_MINUTES[kind]} minutes in the future.`, 'InvalidRequest');
  }
  return at;
}
