/** Shapes of the ucbridge client API (see ARCHITECTURE.md "API surface"). */

import type { ExtensionStatus, PresenceMapping, StatusSource } from '../shared/presence.js';

/**
 * Extension statuses (`available`, `away`, `business_trip`, `do_not_disturb`, `lunch`, `off_work`),
 * mapping values (a status or `no_change`), the nine Teams availabilities, the mappable Teams
 * activities, who set a status, and the complete mapping.
 */
export type { ExtensionStatus, MappingValue, PresenceMapping, StatusSource, TeamsActivity, TeamsAvailability } from '../shared/presence.js';

/** What `setMapping` accepts: missing availabilities take the server's defaults. */
export interface PresenceMappingInput {
  enabled?: boolean;
  availability?: Partial<PresenceMapping['availability']>;
  /** Replaces every activity entry (`{}` for none; omit it for the defaults). */
  activity?: PresenceMapping['activity'];
}

/** The extension's current status. */
export interface StatusInfo {
  extensionId: string;
  status: ExtensionStatus;
  source: StatusSource;
  teamsAvailability: string | null;
  teamsActivity: string | null;
  updatedAt: string | null;
}

/** The signed-in user and their extension. */
export interface Me {
  user: { entraObjectId: string; entraTenantId: string; displayName: string; email: string };
  extension: {
    id: string;
    number: string;
    displayName: string;
    firstName: string;
    lastName: string;
    email: string;
    mobile: string;
    businessPhone: string;
    jobTitle: string;
    department: string;
    enabled: boolean;
  };
}

/** A phonebook contact. */
export interface Contact {
  id: string;
  phonebookId: string;
  firstName: string;
  lastName: string;
  displayName: string;
  company: string;
  jobTitle: string;
  mobile: string;
  homePhone: string;
  businessPhone: string;
  email: string;
  /** Each number as a PBX dials it (digits, optional leading +; an extension suffix apart), or null when it holds none. */
  dial: Record<'mobile' | 'homePhone' | 'businessPhone', { number: string; extension: string | null } | null>;
}

/** One page of a list; pass `nextCursor` back to get the next. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A PBX session as the server issues it. */
export interface SessionTokens {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  /** Seconds. */
  refreshExpiresIn: number;
}

/** The public parameters of the server's Entra app, for a client that signs in with Microsoft itself. */
export interface SignInParameters {
  /** The Entra application (client) id. */
  clientId: string;
  /** `<authority host>/<Entra tenant id>`, e.g. `https://login.microsoftonline.com/<tenant id>`. */
  authority: string;
}

/** What `POST /api/v1/sso/nonce` answers: a single-use nonce for the ID token request, and the sign-in parameters. */
export interface SignInChallenge extends SignInParameters {
  nonce: string;
}
