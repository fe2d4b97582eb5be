import { randomBytes } from 'node:crypto';
import type { Rng } from '../util/random.js';

export interface AppSecret {
  keyId: string;
  value: string;
  /** First three characters, as the Entra portal shows them. */
  hint: string;
  startDateTime: number;
  endDateTime: number;
  revoked: boolean;
}

export type RedirectType = 'web' | 'spa';

export interface RedirectUri {
  uri: string;
  type: RedirectType;
}

export interface AppRegistration {
  clientId: string;
  displayName: string;
  /** Object id of the app's service principal: the `oid`/`sub` of its app-only tokens. */
  servicePrincipalId: string;
  secrets: AppSecret[];
  /** Application permissions the app asks for (what admin consent grants). */
  requestedRoles: string[];
  /** Application permissions granted (admin-consented): the `roles` claim. */
  grantedRoles: string[];
  /** Delegated scopes consented for the whole organisation. */
  delegatedConsent: string[];
  /** Delegated scopes each user consented to themselves. */
  userConsent: Map<string, Set<string>>;
  redirectUris: RedirectUri[];
}

/** What ucbridge needs (SPEC §1), plus Presence.ReadWrite.All for the optional reverse direction. */
export const READ_APP_ROLES = [
  'User.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Contacts.Read', 'Presence.Read.All', 'Calendars.Read',
  'Presence.ReadWrite.All',
];

/** An admin's scripting app: everything tests need to change the tenant through Graph. */
export const ADMIN_APP_ROLES = [
  'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All', 'Contacts.ReadWrite',
  'Presence.ReadWrite.All', 'Calendars.ReadWrite', 'Organization.Read.All',
];

export const DEFAULT_DELEGATED = ['openid', 'profile', 'email', 'offline_access', 'User.Read', 'Presence.Read', 'Presence.Read.All', 'Calendars.Read'];

const DAY = 86_400_000;

/** Secrets look like Entra's: three characters, a digit, "Q~", then 34 more. */
export function newSecret(now: number, lifetimeDays = 180): AppSecret {
  const raw = randomBytes(40).toString('base64').replace(/[+/=]/g, '').slice(0, 37);
  const value = `${raw.slice(0, 3)}8Q~${raw.slice(3, 37)}`;
  return {
    keyId: crypto.randomUUID(),
    value,
    hint: value.slice(0, 3),
    startDateTime: now,
    endDateTime: now + lifetimeDays * DAY,
    revoked: false,
  };
}

export function createApp(rng: Rng, displayName: string, roles: string[], now: number): AppRegistration {
  return {
    clientId: rng.guid(),
    displayName,
    servicePrincipalId: rng.guid(),
    secrets: [newSecret(now)],
    requestedRoles: [...roles],
    grantedRoles: [...roles],
    delegatedConsent: [...DEFAULT_DELEGATED],
    userConsent: new Map(),
    redirectUris: [],
  };
}

export function findRedirect(app: AppRegistration, uri: string): RedirectUri | undefined {
  return app.redirectUris.find((r) => r.uri === uri);
}
