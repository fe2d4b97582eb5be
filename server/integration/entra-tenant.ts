import { z } from 'zod';
import { AppError, registerErrorCodes } from '../errors.js';

registerErrorCodes({ integration_tenant_unresolved: 502 });

/** A GUID as Entra writes tenant, client and object ids (any case). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string | null | undefined): value is string => typeof value === 'string' && GUID.test(value);

const claimsSchema = z.looseObject({ tid: z.string().regex(GUID) });

/**
 * The Directory (tenant) ID, lower-case, from the `tid` claim of an app-only token Entra just
 * issued. The admin may type a verified domain or an upper-case GUID; ID tokens and synced users
 * always carry the lower-case GUID, so that is what gets stored.
 */
export function tenantGuidOf(accessToken: string): string {
  const payload = accessToken.split('.')[1] ?? '';
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    claims = undefined;
  }
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) {
    throw new AppError('integration_tenant_unresolved', "The access token from Microsoft Entra ID has no tenant ID ('tid' claim).", {
      hint: 'Enter the Directory (tenant) ID GUID from the Entra admin center, Overview page.',
    });
  }
  return parsed.data.tid.toLowerCase();
}
