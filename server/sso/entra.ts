import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Config } from '../config.js';
import { transportFor } from '../graph/index.js';
import type { Store } from '../store/index.js';
import { ssoError } from './errors.js';
import { ssoTunables } from './tunables.js';

/**
 * The Entra endpoints SSO needs: OIDC discovery, the signing keys, and the token endpoint for
 * redeeming a web-flow code. Everything goes through the Graph transport, so GRAPH_CA_FILE
 * (the emulator, TLS-inspecting proxies) is trusted the same way as for Graph.
 */
export interface EntraAuthority {
  authorityHost: string;
  entraTenantId: string;
}

const metadataSchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  end_session_endpoint: z.url().optional(),
});
export type OidcMetadata = z.infer<typeof metadataSchema>;

interface CacheEntry {
  metadata: Promise<OidcMetadata>;
  fetchedAt: number;
  keys?: JWTVerifyGetKey;
}

type Deps = { store: Store; config: Pick<Config, 'graphCaFile'> };

const caches = new WeakMap<Store, Map<string, CacheEntry>>();

const unavailable = (what: string, cause: unknown) =>
  ssoError('sso_identity_provider_unavailable', `Microsoft Entra ID could not be reached for ${what}.`, {
    reason: cause instanceof Error ? cause.message : String(cause),
    hint: 'Check the authority host of the integration and the network path to it, then retry.',
  });

async function fetchMetadata(deps: Deps, authority: EntraAuthority): Promise<OidcMetadata> {
  const url = `${authority.authorityHost.replace(/\/+$/, '')}/${authority.entraTenantId}/v2.0/.well-known/openid-configuration`;
  try {
    const response = await transportFor(deps.config.graphCaFile).fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`discovery answered HTTP ${response.status}`);
    const metadata = metadataSchema.parse(await response.json());
    // Tenant-independent documents carry a placeholder; ours is tenant-specific, but be exact either way.
    return { ...metadata, issuer: metadata.issuer.replace('{tenantid}', authority.entraTenantId) };
  } catch (cause) {
    throw unavailable('OIDC discovery', cause);
  }
}

function entryFor(deps: Deps, authority: EntraAuthority): CacheEntry {
  let cache = caches.get(deps.store);
  if (!cache) caches.set(deps.store, (cache = new Map<string, CacheEntry>()));
  const key = `${authority.authorityHost}\n${authority.entraTenantId}`;
  const existing = cache.get(key);
  if (existing && Date.now() - existing.fetchedAt < ssoTunables(deps.store).keysMaxAgeMs) return existing;
  const entry: CacheEntry = { metadata: fetchMetadata(deps, authority), fetchedAt: Date.now() };
  // A failed discovery is not cached: the next sign-in tries again.
  entry.metadata.catch(() => cache.delete(key));
  cache.set(key, entry);
  return entry;
}

/** The tenant's OIDC metadata (issuer, endpoints), cached like the keys. */
export function oidcMetadata(deps: Deps, authority: EntraAuthority): Promise<OidcMetadata> {
  return entryFor(deps, authority).metadata;
}

/**
 * The tenant's signing keys from its discovery `jwks_uri` (never from token headers), cached for
 * `keysMaxAgeMs`, refetched when a token names an unknown `kid` — at most once per cooldown.
 */
export async function signingKeys(deps: Deps, authority: EntraAuthority): Promise<JWTVerifyGetKey> {
  const entry = entryFor(deps, authority);
  const metadata = await entry.metadata;
  if (!entry.keys) {
    const tunables = ssoTunables(deps.store);
    const fetch = transportFor(deps.config.graphCaFile).fetch;
    entry.keys = createRemoteJWKSet(new URL(metadata.jwks_uri), {
      cacheMaxAge: tunables.keysMaxAgeMs,
      cooldownDuration: tunables.keysCooldownMs,
      timeoutDuration: 10_000,
      [customFetch]: (url, options) => fetch(url, options),
    });
  }
  return entry.keys;
}

const tokenAnswer = z.object({ id_token: z.string().min(1), refresh_token: z.string().min(1).optional() });
const tokenError = z.object({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
});

/** AADSTS70008 (expired or already redeemed code) and AADSTS54005 (code already redeemed). */
const REPLAY_CODES = new Set([70008, 54005]);

export interface CodeRedemption {
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
  /** Scopes beyond the sign-in's own (presence: `offline_access` + Presence.Read.All). */
  extraScopes?: readonly string[];
}

export interface RedeemedCode {
  idToken: string;
  /** Only when `offline_access` was asked for (delegated presence subscriptions). */
  refreshToken: string | undefined;
}

/**
 * Redeems a web-flow authorization code for its ID token, as a confidential client with PKCE.
 * Normally only `openid profile email`: the server needs the user's identity. With presence
 * subscriptions on, the caller adds their delegated scopes and gets the Entra refresh token too
 * (the caller seals it).
 */
export async function redeemCode(deps: Deps, authority: EntraAuthority, input: CodeRedemption): Promise<RedeemedCode> {
  const metadata = await oidcMetadata(deps, authority);
  const body = new URLSearchParams({
    client_id: input.clientId,
    client_secret: input.clientSecret,
    grant_type: 'authorization_code',
    code: input.code,
    redirect_uri: input.redirectUri,
    code_verifier: input.codeVerifier,
    scope: ['openid profile email', ...(input.extraScopes ?? [])].join(' '),
  });
  let response: Response;
  try {
    response = await transportFor(deps.config.graphCaFile).fetch(metadata.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw unavailable('redeeming the sign-in code', cause);
  }
  const json: unknown = await response.json().catch(() => ({}));
  const ok = tokenAnswer.safeParse(json);
  if (response.ok && ok.success) return { idToken: ok.data.id_token, refreshToken: ok.data.refresh_token };
  const failure = tokenError.safeParse(json);
  const codes = failure.data?.error_codes ?? [];
  const entra = { entraError: failure.data?.error ?? `http_${response.status}`, entraCodes: codes };
  if (codes.some((c) => REPLAY_CODES.has(c))) {
    throw ssoError('sso_code_replayed', 'This sign-in code was already used or has expired.', {
      ...entra,
      hint: 'Start the sign-in again.',
    });
  }
  throw ssoError('sso_code_rejected', `Microsoft Entra ID refused the sign-in code (${entra.entraError}).`, {
    ...entra,
    hint: 'Check that the web-client SSO callback URI is registered in the Entra app and the client secret is valid.',
  });
}
