import type { Config } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { presenceGrantRepo, presenceSignInScopes } from '../presence/index.js';
import type { Store } from '../store/index.js';
import { findSignedInExtension, sessionExtension, tenantSso, type ExtensionRow, type TenantSso } from './access.js';
import { audited, auditSso, type AuditContext } from './audit.js';
import { consumeExchangeNonce, consumeLoginChallenge, createExchangeNonce, createLoginChallenge, isIssuedNonce } from './challenges.js';
import { oidcMetadata, redeemCode } from './entra.js';
import { ssoError, type SsoErrorCode } from './errors.js';
import { validateIdToken, type SignedInIdentity } from './id-token.js';
import {
  endSession,
  familyAlive,
  issueSession,
  redeemRefreshToken,
  revokeAllSessions,
  revokeSessionsForExtension,
  sessionForAccessToken,
  type IssuedSession,
  type RefreshGrant,
  type SessionPrincipal,
} from './sessions.js';

export interface SsoDeps {
  store: Store;
  config: Pick<Config, 'graphCaFile' | 'publicUrl'>;
}

export interface SignInResult {
  session: IssuedSession;
  extension: ExtensionRow;
}

/** Validates the ID token (and the nonce it must carry, when given). */
const validate = (deps: SsoDeps, sso: TenantSso, idToken: string, nonce: string | undefined): Promise<SignedInIdentity> =>
  validateIdToken(deps, idToken, { authority: sso.authority, clientId: sso.clientId, nonce });

/** Finds the validated user's extension and opens a session (shared by both flows). */
async function openSession(deps: SsoDeps, ctx: AuditContext, identity: SignedInIdentity): Promise<SignInResult> {
  const extension = await findSignedInExtension(deps.store, ctx.tenantId, identity);
  const session = await issueSession(deps.store, ctx.tenantId, extension.id);
  await auditSso(deps.store, ctx, 'sso.sign_in', extension.id, { oid: identity.oid, sessionId: session.sessionId });
  return { session, extension };
}

/** What a client needs to sign in with Microsoft itself; public values (they are in every authorize URL). */
export interface SignInChallenge {
  nonce: string;
  /** The Entra application (client) id. */
  clientId: string;
  /** `<authority host>/<Entra tenant id>`. */
  authority: string;
}

/**
 * A nonce for an SDK sign-in (MSAL puts it in the ID token; the exchange then accepts it once),
 * with the tenant's Entra app so that clients need not be configured with it.
 */
export function issueNonce(deps: SsoDeps, ctx: AuditContext): Promise<SignInChallenge> {
  return audited(deps.store, ctx, async () => {
    const sso = await tenantSso(deps.store, ctx.tenantId);
    const nonce = await createExchangeNonce(deps.store, ctx.tenantId);
    const authority = `${sso.authority.authorityHost.replace(/\/+$/, '')}/${sso.authority.entraTenantId}`;
    return { nonce, clientId: sso.clientId, authority };
  });
}

/**
 * `POST /api/v1/sso/token`: an ID token MSAL obtained in a browser, exchanged for a PBX session.
 * A token carrying a nonce this server issued is accepted only with that nonce, which is then
 * used up: leaving the nonce out must not turn a single-use sign-in into a replayable one. Tokens
 * without a server nonce (MSAL's silent renewal puts its own nonce in, or none) are bounded by
 * the ID token's maximum age instead.
 */
export function exchangeIdToken(deps: SsoDeps, ctx: AuditContext, input: { idToken: string; nonce?: string | undefined }): Promise<SignInResult> {
  return audited(deps.store, ctx, async () => {
    const sso = await tenantSso(deps.store, ctx.tenantId);
    if (input.nonce !== undefined) await consumeExchangeNonce(deps.store, ctx.tenantId, input.nonce);
    const identity = await validate(deps, sso, input.idToken, input.nonce);
    if (input.nonce === undefined && identity.nonce !== undefined && (await isIssuedNonce(deps.store, identity.nonce))) {
      throw ssoError('sso_nonce_required', 'The ID token carries a nonce this server issued, but the request has no nonce.', {
        hint: 'Send the nonce from POST /api/v1/sso/nonce with the ID token; each nonce and its token can be exchanged once.',
      });
    }
    return openSession(deps, ctx, identity);
  });
}

/** Rotates a refresh token after re-checking that the user may still sign in. */
export async function refreshSession(deps: SsoDeps, ctx: Omit<AuditContext, 'tenantId'>, refreshToken: string): Promise<IssuedSession> {
  let grant: RefreshGrant;
  try {
    grant = await redeemRefreshToken(deps.store, refreshToken);
  } catch (error) {
    // Reuse names its tenant and family; an unknown token has no tenant to audit under.
    const details = error instanceof AppError && error.code === 'session_refresh_reused' ? error.details : undefined;
    if (typeof details?.tenantId === 'string' && typeof details.extensionId === 'string') {
      await auditSso(deps.store, { ...ctx, tenantId: details.tenantId }, 'sso.refresh_reused', details.extensionId, {
        code: 'session_refresh_reused',
        familyId: details.familyId,
      });
      // The client hears what happened, not which extension or family it hit.
      throw ssoError('session_refresh_reused', (error as AppError).message, { hint: details.hint ?? 'Sign in again.' });
    }
    throw error;
  }
  return audited(deps.store, { ...ctx, tenantId: grant.principal.tenantId }, async () => {
    await requireLiveUser(deps, grant.principal);
    return grant.rotate();
  });
}

/**
 * The session behind an access token, with its extension re-checked on every request: SSO still
 * on, integration still connected, extension still there, enabled and synced. When one of those
 * no longer holds, the affected sessions are revoked, not just this request refused.
 */
export async function authenticateSession(deps: SsoDeps, accessToken: string): Promise<{ principal: SessionPrincipal; extension: ExtensionRow }> {
  const principal = await sessionForAccessToken(deps.store, accessToken);
  return { principal, extension: await requireLiveUser(deps, principal) };
}

/** For long-lived streams: the sign-in must still be live (any rotation of it) and the user still allowed. */
export async function requireLiveSignIn(deps: SsoDeps, principal: SessionPrincipal): Promise<void> {
  if (!(await familyAlive(deps.store, principal.familyId))) {
    throw ssoError('session_revoked', 'This session has been signed out, revoked or has expired.', { hint: 'Sign in again.' });
  }
  await requireLiveUser(deps, principal);
}

/** Refusals of `tenantSso` that mean the tenant's SSO has ended (./access.ts). */
const SSO_ENDED = new Set<string>(['sso_disabled', 'sso_integration_disabled', 'sso_integration_disconnected'] satisfies SsoErrorCode[]);

async function requireLiveUser(deps: SsoDeps, principal: SessionPrincipal): Promise<ExtensionRow> {
  let sso: TenantSso;
  try {
    sso = await tenantSso(deps.store, principal.tenantId);
  } catch (error) {
    // Anything else (the database failing over, say) says nothing about SSO: nobody is signed out for it.
    if (!isAppError(error) || !SSO_ENDED.has(error.code)) throw error;
    await revokeAllSessions(deps.store, principal.tenantId, error.code === 'sso_disabled' ? 'sso_disabled' : 'integration');
    throw ssoError('session_revoked', 'Single sign-on is no longer available for this PBX; the session was revoked.', {
      reason: error.code,
      hint: 'Sign in again once your admin has turned SSO back on.',
    });
  }
  const extension = await sessionExtension(deps.store, sso, principal.extensionId);
  if (typeof extension === 'string') {
    await revokeSessionsForExtension(deps.store, principal.tenantId, principal.extensionId);
    throw ssoError('session_revoked', `The session was revoked: ${extension}.`, { reason: extension });
  }
  return extension;
}

/** `POST /api/v1/sso/logout`: ends the sign-in the token belongs to (all of its rotations). */
export async function logout(deps: SsoDeps, ctx: Omit<AuditContext, 'tenantId'>, token: string): Promise<void> {
  const ended = await endSession(deps.store, token);
  if (ended) await auditSso(deps.store, { ...ctx, tenantId: ended.tenantId }, 'sso.logout', ended.extensionId);
}

export interface WebSignInStart {
  /** Base URL the browser reached us on (PUBLIC_URL wins), for the registered redirect URI. */
  origin: string;
  returnTo: string | undefined;
  loginHint: string | undefined;
  browserBinder: string;
}

const allowedReturn = (url: string, allowed: Set<string>): boolean => {
  try {
    return allowed.has(new URL(url).origin);
  } catch {
    return false;
  }
};

/** The registered web-client redirect URI (shown on the integration page for the admin to register). */
export const webCallbackUri = (origin: string): string => `${origin}/sso/callback`;

/** `GET /sso/login`: where to send the browser (Entra's authorize endpoint with PKCE, state and nonce). */
export function startWebSignIn(deps: SsoDeps, ctx: AuditContext, start: WebSignInStart): Promise<string> {
  return audited(deps.store, ctx, async () => {
    const sso = await tenantSso(deps.store, ctx.tenantId);
    const origin = deps.config.publicUrl ?? start.origin;
    const returnTo = start.returnTo ?? sso.settings.webClientUrl ?? undefined;
    if (!returnTo || !allowedReturn(returnTo, new Set([origin, ...sso.settings.allowedOrigins]))) {
      throw ssoError('sso_return_url_invalid', 'returnTo must be a URL on an origin allowed in the SSO settings.', {
        hint: 'Add the web client origin to allowedOrigins with PUT /api/v1/settings/sso, or pass returnTo on this server.',
      });
    }
    const redirectUri = webCallbackUri(origin);
    const challenge = await createLoginChallenge(deps.store, { tenantId: ctx.tenantId, redirectUri, returnTo, browserBinder: start.browserBinder });
    const metadata = await oidcMetadata(deps, sso.authority);
    const url = new URL(metadata.authorization_endpoint);
    const query: Record<string, string> = {
      client_id: sso.clientId,
      response_type: 'code',
      response_mode: 'query',
      redirect_uri: redirectUri,
      scope: ['openid profile email', ...(await presenceSignInScopes(deps, ctx.tenantId))].join(' '),
      state: challenge.state,
      nonce: challenge.nonce,
      code_challenge: challenge.codeChallenge,
      code_challenge_method: 'S256',
    };
    if (start.loginHint) query.login_hint = start.loginHint;
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  });
}

export interface WebCallback {
  state: string | undefined;
  code: string | undefined;
  error: string | undefined;
  browserBinder: string | undefined;
}

/** Where the browser goes after the callback: back to the client, with a session or a refusal. */
export type WebSignInOutcome = { returnTo: string } & ({ result: SignInResult } | { error: { code: string; message: string } });

/**
 * `GET /sso/callback`: checks the state (single use, this browser, not expired), redeems the
 * code with the stored PKCE verifier and validates the ID token against the stored nonce.
 * Refusals before the state is known throw; later ones are returned for the client's URL.
 */
export async function finishWebSignIn(deps: SsoDeps, ctx: AuditContext, callback: WebCallback): Promise<WebSignInOutcome> {
  const login = await audited(deps.store, ctx, () => {
    if (!callback.state) throw ssoError('sso_state_invalid', 'The sign-in response has no state.', { hint: 'Start the sign-in again.' });
    return consumeLoginChallenge(deps.store, callback.state, callback.browserBinder);
  });
  const flow = { ...ctx, tenantId: login.tenantId };
  try {
    const result = await audited(deps.store, flow, async () => {
      if (callback.error || !callback.code) {
        throw ssoError('sso_authorize_failed', `Microsoft Entra ID did not sign you in (${callback.error ?? 'no code'}).`, {
          entraError: callback.error ?? 'no_code',
        });
      }
      const sso = await tenantSso(deps.store, login.tenantId);
      const redeemed = await redeemCode(deps, sso.authority, {
        clientId: sso.clientId,
        clientSecret: sso.clientSecret(),
        code: callback.code,
        redirectUri: login.redirectUri,
        codeVerifier: login.codeVerifier,
        extraScopes: await presenceSignInScopes(deps, login.tenantId),
      });
      const signedIn = await openSession(deps, flow, await validate(deps, sso, redeemed.idToken, login.nonce));
      // Delegated presence subscriptions: the grant lives and dies with this sign-in's session family.
      if (redeemed.refreshToken) await presenceGrantRepo(deps.store).save(login.tenantId, signedIn.extension.id, signedIn.session.sessionId, redeemed.refreshToken);
      return signedIn;
    });
    return { returnTo: login.returnTo, result };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (!code) throw error;
    return { returnTo: login.returnTo, error: { code, message } };
  }
}
