import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import type { AppError } from '../errors.js';
import { isGuid } from '../integration/index.js';
import type { Store } from '../store/index.js';
import { oidcMetadata, signingKeys, type EntraAuthority } from './entra.js';
import { ssoError } from './errors.js';
import { ssoTunables } from './tunables.js';

/** Who the ID token says signed in. `oid` + `tid` identify the user; the rest are hints. */
export interface SignedInIdentity {
  oid: string;
  tid: string;
  preferredUsername: string | undefined;
  email: string | undefined;
  name: string | undefined;
  /** The token's `nonce` claim: the exchange checks whether this server issued it. */
  nonce: string | undefined;
}

/**
 * Oldest ID token (by `iat`, plus the clock skew) any sign-in accepts: 10 minutes. Clients
 * exchange a token seconds after Entra issued it (the SDK's renewal asks MSAL for a fresh one),
 * so this only leaves room for slow popups and redirects; Entra's own lifetime (about an hour)
 * would let a leaked token open sessions for far longer. It equals the default challenge (nonce)
 * lifetime and is far below the day used challenges are kept, so the replay check of a token
 * carrying a server nonce outlives every token that can still pass this check.
 */
export const ID_TOKEN_MAX_AGE_SECONDS = 10 * 60;

export interface IdTokenExpectations {
  authority: EntraAuthority;
  /** Our application (client) id: the only audience accepted. */
  clientId: string;
  /** The nonce we issued for this sign-in, when we issued one. */
  nonce?: string | undefined;
}

type Deps = { store: Store; config: Pick<Config, 'graphCaFile'> };

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** Maps jose's failures (by their stable `code`) to our refusals. */
function verificationError(error: unknown): AppError {
  const { code, claim, reason } = error as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      if (claim === 'iat') {
        return ssoError('sso_token_too_old', `The ID token was issued more than ${ID_TOKEN_MAX_AGE_SECONDS / 60} minutes ago.`, {
          maxAgeSeconds: ID_TOKEN_MAX_AGE_SECONDS,
          hint: 'Exchange ID tokens right after Microsoft issued them: sign in again, or renew with MSAL forceRefresh for a fresh one.',
        });
      }
      return ssoError('sso_token_expired', 'The ID token has expired.', { hint: 'Sign in again to get a fresh ID token.' });
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return ssoError('sso_token_malformed', `The ID token has no '${claim ?? 'unknown'}' claim.`);
      if (claim === 'nbf' || claim === 'iat') {
        return ssoError('sso_token_not_yet_valid', 'The ID token is not valid yet (nbf in the future).', {
          hint: "Check this server's clock.",
        });
      }
      return ssoError('sso_token_malformed', `The ID token's '${claim ?? 'unknown'}' claim is invalid.`);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return ssoError('sso_bad_signature', 'The ID token signature does not verify with the tenant signing key.');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return ssoError('sso_bad_signature', "The ID token was not signed with any of the tenant's published keys.");
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return ssoError('sso_token_algorithm', 'ID tokens must be signed with RS256.');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return ssoError('sso_token_malformed', 'The ID token is not a well-formed signed JWT.');
    default:
      return ssoError('sso_identity_provider_unavailable', "The tenant's signing keys could not be loaded.", {
        reason: error instanceof Error ? error.message : String(error),
      });
  }
}

/**
 * The tenant GUID an ID token must carry in `tid`, lower-case. The integration stores the GUID;
 * a row saved before that (the tenant entered as a domain) gets it from the tenant's own
 * discovery document, whose issuer is `…/{tenant GUID}/v2.0`.
 */
function expectedTenantId(entraTenantId: string, issuer: string): string | undefined {
  if (isGuid(entraTenantId)) return entraTenantId.toLowerCase();
  const segment = /\/([^/]+)\/v2\.0\/?$/.exec(issuer)?.[1];
  return isGuid(segment) ? segment.toLowerCase() : undefined;
}

/** Claim checks jose leaves to us, each with its own refusal (order: tenant first, it explains the rest). */
function checkClaims(payload: JWTPayload, issuer: string, expect: IdTokenExpectations): SignedInIdentity {
  const tid = optionalString(payload.tid)?.toLowerCase();
  const oid = optionalString(payload.oid);
  const expectedTid = expectedTenantId(expect.authority.entraTenantId, issuer);
  if (tid === undefined || tid !== expectedTid) {
    throw ssoError('sso_other_tenant', 'The ID token was issued for another Microsoft Entra tenant.', {
      hint: 'Sign in with an account of the organisation this PBX is connected to.',
    });
  }
  if (payload.iss !== issuer) throw ssoError('sso_wrong_issuer', 'The ID token was not issued by this tenant.');
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.length !== 1 || audiences[0] !== expect.clientId) {
    throw ssoError('sso_wrong_audience', 'The ID token was issued for another application.', {
      hint: "Sign in with the client ID of the integration's Entra app.",
    });
  }
  if (expect.nonce !== undefined && payload.nonce !== expect.nonce) {
    throw ssoError('sso_nonce_mismatch', 'The ID token does not carry the nonce issued for this sign-in.', {
      hint: 'Start the sign-in again.',
    });
  }
  if (!oid) throw ssoError('sso_token_malformed', "The ID token has no 'oid' claim.");
  return {
    oid,
    tid,
    preferredUsername: optionalString(payload.preferred_username),
    email: optionalString(payload.email),
    name: optionalString(payload.name),
    nonce: optionalString(payload.nonce),
  };
}

/**
 * Validates an Entra v2 ID token: RS256 only, signed by a key from the tenant's discovery
 * `jwks_uri`, `nbf`/`exp` within the allowed clock skew, `iat` at most
 * {@link ID_TOKEN_MAX_AGE_SECONDS} ago, then tenant, exact issuer, audience and
 * nonce. Throws an `sso_*` AppError naming the first failed check.
 */
export async function validateIdToken(deps: Deps, token: string, expect: IdTokenExpectations): Promise<SignedInIdentity> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw ssoError('sso_token_malformed', 'The ID token is not a well-formed JWT.');
  }
  if (alg !== 'RS256') {
    throw ssoError('sso_token_algorithm', `ID tokens must be signed with RS256, not '${String(alg)}'.`);
  }
  const metadata = await oidcMetadata(deps, expect.authority);
  const keys = await signingKeys(deps, expect.authority);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      clockTolerance: ssoTunables(deps.store).clockSkewSeconds,
      requiredClaims: ['exp'],
      // Also requires `iat`; jose adds the clock tolerance to the age.
      maxTokenAge: ID_TOKEN_MAX_AGE_SECONDS,
    }));
  } catch (error) {
    throw verificationError(error);
  }
  return checkClaims(payload, metadata.issuer, expect);
}
