import type { AccessClaims } from '../entra/tokens.js';
import { fail } from './errors.js';

/** Permissions that unlock an endpoint (any one of them), by token type. */
export interface Permission {
  app: readonly string[];
  delegated: readonly string[];
  /** Directory endpoints say Authorization_RequestDenied; Exchange ones ErrorAccessDenied. */
  denyCode: 'Authorization_RequestDenied' | 'ErrorAccessDenied' | 'Forbidden';
}

const dir = (app: string[], delegated: string[]): Permission => ({ app, delegated, denyCode: 'Authorization_RequestDenied' });
const exo = (app: string[], delegated: string[]): Permission => ({ app, delegated, denyCode: 'ErrorAccessDenied' });

/** Least-privileged and higher permissions per the "Permissions" table of each Graph API page. */
export const PERMS = {
  userRead: dir(['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'User.ReadBasic.All'], ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All']),
  userWrite: dir(['User.ReadWrite.All', 'Directory.ReadWrite.All'], ['User.ReadWrite.All', 'Directory.ReadWrite.All']),
  groupRead: dir(['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'GroupMember.Read.All'], ['Group.Read.All', 'GroupMember.Read.All', 'Directory.Read.All']),
  memberRead: dir(['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'GroupMember.ReadWrite.All'], ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All']),
  memberOfRead: dir(['User.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'GroupMember.Read.All', 'Group.Read.All'], ['User.Read', 'Directory.Read.All', 'GroupMember.Read.All']),
  groupWrite: dir(['Group.ReadWrite.All', 'Directory.ReadWrite.All'], ['Group.ReadWrite.All', 'Directory.ReadWrite.All']),
  memberWrite: dir(['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'], ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All']),
  orgRead: dir(['Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All', 'Directory.ReadWrite.All'], ['User.Read', 'Organization.Read.All', 'Directory.Read.All']),
  contactsRead: exo(['Contacts.Read', 'Contacts.ReadWrite'], ['Contacts.Read', 'Contacts.ReadWrite', 'Contacts.Read.Shared']),
  contactsWrite: exo(['Contacts.ReadWrite'], ['Contacts.ReadWrite']),
  calendarRead: exo(['Calendars.Read', 'Calendars.ReadBasic', 'Calendars.ReadWrite'], ['Calendars.Read', 'Calendars.ReadBasic', 'Calendars.ReadWrite']),
  calendarWrite: exo(['Calendars.ReadWrite'], ['Calendars.ReadWrite']),
  photoRead: exo(['ProfilePhoto.Read.All', 'User.Read.All', 'User.ReadWrite.All'], ['User.Read', 'User.ReadBasic.All', 'User.Read.All']),
  presenceRead: { app: ['Presence.Read.All', 'Presence.ReadWrite.All'], delegated: ['Presence.Read', 'Presence.Read.All'], denyCode: 'Forbidden' },
  presenceWrite: { app: ['Presence.ReadWrite.All'], delegated: ['Presence.ReadWrite'], denyCode: 'Forbidden' },
} satisfies Record<string, Permission>;

export const grantedOf = (auth: AccessClaims): string[] => (auth.idtyp === 'app' ? auth.roles ?? [] : (auth.scp ?? '').split(' ').filter(Boolean));

export function hasPermission(auth: AccessClaims, perm: Permission): boolean {
  const granted = grantedOf(auth).map((p) => p.toLowerCase());
  const accepted = auth.idtyp === 'app' ? perm.app : perm.delegated;
  return accepted.some((p) => granted.includes(p.toLowerCase()));
}

const DENY_MESSAGES: Record<Permission['denyCode'], string> = {
  Authorization_RequestDenied: 'Insufficient privileges to complete the operation.',
  ErrorAccessDenied: 'Access is denied. Check credentials and try again.',
  Forbidden: 'Missing scope permissions on the request. API requires one of \'{perms}\'. Roles on the request \'{roles}\'.',
};

/** Throws Graph's 403 when the token lacks every permission that unlocks the endpoint. */
export function requirePermission(auth: AccessClaims, perm: Permission): void {
  if (hasPermission(auth, perm)) return;
  const accepted = auth.idtyp === 'app' ? perm.app : perm.delegated;
  const message = DENY_MESSAGES[perm.denyCode].replace('{perms}', accepted.join(', ')).replace('{roles}', grantedOf(auth).join(', '));
  fail(403, perm.denyCode, message);
}
