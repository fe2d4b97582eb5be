import { z } from 'zod';
import type { ExtensionTable } from '../store/index.js';
import { callerIdFrom } from './caller-id.js';

const str = z.string().nullish();
const removed = z.object({ reason: z.string().optional() }).optional();

/** A user as users, users/delta and users/{id} return it with USER_SELECT (delta may add `@removed`). */
export const entraUser = z.object({
  id: z.string(),
  '@removed': removed,
  displayName: str,
  givenName: str,
  surname: str,
  mail: str,
  userPrincipalName: str,
  mobilePhone: str,
  businessPhones: z.array(z.string()).nullish().transform((v) => v ?? []),
  jobTitle: str,
  department: str,
  officeLocation: str,
  employeeId: str,
  accountEnabled: z.boolean().nullish(),
  userType: str,
  onPremisesExtensionAttributes: z.record(z.string(), z.string().nullable()).nullish(),
});
export type EntraUser = z.infer<typeof entraUser>;

export const USER_SELECT = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'userPrincipalName',
  'mobilePhone',
  'businessPhones',
  'jobTitle',
  'department',
  'officeLocation',
  'employeeId',
  'accountEnabled',
  'userType',
  'onPremisesExtensionAttributes',
] as const;

const memberRef = z.object({
  '@odata.type': z.string().optional(),
  id: z.string(),
  '@removed': removed,
});

/** A group from groups/delta with `$select=…,members` (membership changes in `members@delta`). */
export const entraGroup = z.object({
  id: z.string(),
  '@removed': removed,
  displayName: str,
  groupTypes: z.array(z.string()).nullish(),
  securityEnabled: z.boolean().nullish(),
  'members@delta': z.array(memberRef).optional(),
});
export type EntraGroup = z.infer<typeof entraGroup>;

export const GROUP_SELECT = ['id', 'displayName', 'groupTypes', 'securityEnabled', 'members'] as const;

export const memberKind = (ref: { '@odata.type'?: string | undefined }): string =>
  (ref['@odata.type'] ?? '').toLowerCase().endsWith('.group') ? 'group' : (ref['@odata.type'] ?? '').toLowerCase().endsWith('.user') ? 'user' : 'other';

/** The extension columns Entra owns (SPEC §2 "synced fields"), and which of them are locked. */
export type SyncedFields = Pick<
  ExtensionTable,
  'first_name' | 'last_name' | 'display_name' | 'email' | 'mobile' | 'business_phone' | 'job_title' | 'department' | 'office' | 'caller_id' | 'locked_fields'
> & { user_principal_name: string; enabled: 0 | 1 };

export const SYNCED_COLUMNS: ReadonlyArray<keyof SyncedFields> = [
  'first_name',
  'last_name',
  'display_name',
  'email',
  'mobile',
  'business_phone',
  'job_title',
  'department',
  'office',
  'caller_id',
  'user_principal_name',
  'enabled',
  'locked_fields',
];

/** Fields an admin cannot change on a synced extension (SPEC §2). */
export const LOCKED_FIELDS = ['firstName', 'lastName', 'email', 'mobile', 'jobTitle'] as const;
export const LOCKED = JSON.stringify(LOCKED_FIELDS);
/** With businessPhoneAsCallerId on, the sync owns the caller id too: a local change would be undone. */
export const LOCKED_WITH_CALLER_ID = JSON.stringify([...LOCKED_FIELDS, 'callerId']);

export function syncedFields(user: EntraUser, options: { callerId: boolean; enabled: boolean }): SyncedFields {
  const businessPhone = user.businessPhones[0] ?? '';
  return {
    first_name: user.givenName ?? '',
    last_name: user.surname ?? '',
    display_name: user.displayName ?? ([user.givenName, user.surname].filter(Boolean).join(' ') || (user.userPrincipalName ?? '')),
    email: (user.mail ?? user.userPrincipalName ?? '').toLowerCase(),
    mobile: user.mobilePhone ?? '',
    business_phone: businessPhone,
    job_title: user.jobTitle ?? '',
    department: user.department ?? '',
    office: user.officeLocation ?? '',
    caller_id: options.callerId ? (callerIdFrom(businessPhone) ?? '') : '',
    user_principal_name: user.userPrincipalName ?? '',
    enabled: options.enabled ? 1 : 0,
    locked_fields: options.callerId ? LOCKED_WITH_CALLER_ID : LOCKED,
  };
}
