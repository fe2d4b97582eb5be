/** Graph-visible properties of a user, as Graph names them. */
export interface UserData {
  id: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  userPrincipalName: string;
  mailNickname: string;
  mobilePhone: string | null;
  businessPhones: string[];
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  companyName: string | null;
  city: string | null;
  country: string | null;
  usageLocation: string | null;
  preferredLanguage: string | null;
  employeeId: string | null;
  onPremisesExtensionAttributes: Record<string, string | null>;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  createdDateTime: string;
  otherMails: string[];
  proxyAddresses: string[];
}

/** Emulator-only facts about a user's Exchange mailbox (not visible through Graph user properties). */
export interface MailboxFlags {
  /** false → contacts/calendar calls answer 404 MailboxNotEnabledForRESTAPI (typical for guests). */
  enabled: boolean;
  /** A shared mailbox: a user object, usually accountEnabled false, with contacts. */
  shared: boolean;
  /** An Exchange application access policy excludes this mailbox → 403 ErrorAccessDenied. */
  accessDenied: boolean;
}

export interface UserRecord {
  /** Creation ordinal: listing order and the anchor of skiptokens. */
  ord: number;
  /** Index in the seeded population (drives lazily generated mailbox/photo), -1 for users created later. */
  seedIndex: number;
  data: UserData;
  mailbox: MailboxFlags;
  hasPhoto: boolean;
  /** Soft-deleted users leave the listings but can be restored (Graph: directory/deletedItems). */
  deletedAt: number | null;
}

export interface GroupData {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailEnabled: boolean;
  mailNickname: string;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: string | null;
  membershipRule: string | null;
  createdDateTime: string;
}

export interface GroupRecord {
  ord: number;
  data: GroupData;
  /** Direct member object ids (users and groups), in insertion order. */
  members: Set<string>;
  deletedAt: number | null;
}

export type ObjectKind = 'user' | 'group';

/** One entry of the directory change log that delta queries and subscriptions read. */
export type DirChange =
  | { seq: number; kind: ObjectKind; id: string; op: 'create' | 'softDelete' | 'purge' | 'restore' }
  | { seq: number; kind: ObjectKind; id: string; op: 'update'; props: string[] }
  | { seq: number; kind: 'group'; id: string; op: 'memberAdd' | 'memberRemove'; memberId: string; memberKind: ObjectKind };

export type DirChangeInput = DirChange extends infer C ? (C extends DirChange ? Omit<C, 'seq'> : never) : never;

export interface OrganizationData {
  id: string;
  displayName: string;
  verifiedDomains: { capabilities: string; isDefault: boolean; isInitial: boolean; name: string; type: string }[];
  countryLetterCode: string;
  tenantType: string;
  createdDateTime: string;
}
