import { z } from 'zod';
import type { ExtensionRow, IssuedSession } from '../sso/index.js';

/** The signed-in user and their extension, as client routes return them. */
export const meView = z.object({
  user: z.object({
    entraObjectId: z.string(),
    entraTenantId: z.string(),
    displayName: z.string(),
    email: z.string(),
  }),
  extension: z.object({
    id: z.string(),
    number: z.string(),
    displayName: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    mobile: z.string(),
    businessPhone: z.string(),
    jobTitle: z.string(),
    department: z.string(),
    enabled: z.boolean(),
  }),
});
export type MeView = z.infer<typeof meView>;

export function toMeView(extension: ExtensionRow): MeView {
  return {
    user: {
      entraObjectId: extension.entra_object_id ?? '',
      entraTenantId: extension.entra_tenant_id ?? '',
      displayName: extension.display_name,
      email: extension.email,
    },
    extension: {
      id: extension.id,
      number: extension.number,
      displayName: extension.display_name,
      firstName: extension.first_name,
      lastName: extension.last_name,
      email: extension.email,
      mobile: extension.mobile,
      businessPhone: extension.business_phone,
      jobTitle: extension.job_title,
      department: extension.department,
      enabled: extension.enabled === 1,
    },
  };
}

/** A PBX session as the sign-in endpoints hand it out (tokens only ever in response bodies or the client's URL fragment). */
export const sessionTokens = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  /** Seconds. */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  /** Seconds. */
  refreshExpiresIn: z.number().int(),
});

export const toSessionTokens = (session: IssuedSession): z.infer<typeof sessionTokens> => ({
  tokenType: 'Bearer',
  accessToken: session.accessToken,
  expiresIn: session.expiresIn,
  refreshToken: session.refreshToken,
  refreshExpiresIn: session.refreshExpiresIn,
});
