import { createHash } from 'node:crypto';
import type { Router } from '../http/router.js';
import { json, readForm, type EmuResponse } from '../http/types.js';
import { findRedirect, type AppRegistration } from '../state/apps.js';
import type { UserRecord } from '../state/types.js';
import type { EntraCtx } from './context.js';
import { tokenError, type AadErrorKey } from './errors.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE, graphScopes, OIDC_SCOPES } from './tokens.js';

const SPA_REFRESH_MS = 24 * 3_600_000;
const WEB_REFRESH_MS = 90 * 24 * 3_600_000;
const NO_STORE = { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' };

class TokenFailure extends Error {
  constructor(
    readonly key: AadErrorKey,
    readonly vars: Record<string, string> = {},
  ) {
    super(key);
  }
}

const failWith = (key: AadErrorKey, vars: Record<string, string> = {}): never => {
  throw new TokenFailure(key, vars);
};

interface TokenRequest {
  ctx: EntraCtx;
  form: URLSearchParams;
  app: AppRegistration;
  /** Browsers send Origin: that marks a cross-origin (SPA) redemption. */
  origin: string | undefined;
  secret: string | undefined;
}

/** client_secret from the form or from HTTP Basic (client_secret_basic). */
function clientSecret(ctx: EntraCtx, form: URLSearchParams): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '')?.[1];
  if (basic) return decodeURIComponent(Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':'));
  return form.get('client_secret') ?? undefined;
}

/** Confidential-client authentication: 7000215 unknown/revoked secret, 7000222 expired secret. */
function authenticateClient(t: TokenRequest): void {
  if (t.origin && t.secret) failWith('publicClientSecret');
  if (!t.secret) failWith('missingSecret');
  const match = t.app.secrets.find((s) => s.value === t.secret && !s.revoked);
  if (!match) failWith('invalidSecret', { app: t.app.clientId });
  else if (match.endDateTime <= t.ctx.svc.state.clock.now()) failWith('expiredSecret', { app: t.app.clientId });
}

/** The rules for where a code/refresh token may be redeemed, by redirect URI platform. */
function checkClientType(t: TokenRequest, spa: boolean): void {
  if (spa) {
    if (!t.origin) failWith('spaNeedsOrigin');
    if (t.secret) failWith('publicClientSecret');
  } else {
    if (t.origin) failWith('originNotSpa', { origin: t.origin });
    authenticateClient(t);
  }
}

async function clientCredentials(t: TokenRequest): Promise<EmuResponse> {
  const scope = t.form.get('scope') ?? failWith('missingParam', { param: 'scope' });
  const resource = scope.trim().replace(/\/\.default$/i, '');
  if (!/\/\.default$/i.test(scope.trim()) || scope.trim().includes(' ')) failWith('badScope', { scope });
  if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID && resource !== `${GRAPH_RESOURCE}/`) failWith('badScope', { scope });
  authenticateClient(t);
  const { token, expiresIn } = await t.ctx.svc.tokens.appToken(t.app);
  return json(200, { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token }, NO_STORE);
}

function verifyPkce(challenge: string | undefined, method: string | undefined, verifier: string | undefined): void {
  if (!challenge) return;
  if (!verifier) failWith('pkceMissing');
  const computed = method === 'plain' ? verifier : createHash('sha256').update(verifier ?? '').digest('base64url');
  if (computed !== challenge) failWith('pkceMismatch');
}

function activeUser(t: TokenRequest, userId: string): UserRecord {
  const user = t.ctx.svc.state.directory.findUser(userId);
  if (!user) return failWith('refreshRevoked');
  if (!user.data.accountEnabled) failWith('userDisabled');
  return user;
}

/** Access token + optional ID token, refresh token and client_info, as Entra returns them. */
async function userTokens(t: TokenRequest, user: UserRecord, scopes: string[], nonce: string | undefined, authTime: number, spa: boolean, refreshExpiry?: number): Promise<EmuResponse> {
  const { tokens, sessions } = t.ctx.svc;
  const access = await tokens.userToken(t.app, user, scopes);
  const lower = scopes.map((s) => s.toLowerCase());
  const granted = [...graphScopes(scopes).length ? graphScopes(scopes) : ['User.Read'], ...scopes.filter((s) => OIDC_SCOPES.has(s.toLowerCase()))];
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: granted.join(' '),
    expires_in: access.expiresIn,
    ext_expires_in: access.expiresIn,
    access_token: access.token,
  };
  if (lower.includes('offline_access')) {
    const expiresAt = refreshExpiry ?? Date.now() + (spa ? SPA_REFRESH_MS : WEB_REFRESH_MS);
    body.refresh_token = sessions.issueRefresh({ clientId: t.app.clientId, userId: user.data.id, scopes, authTime, expiresAt, spa });
    if (spa) body.refresh_token_expires_in = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
  }
  if (lower.includes('openid')) body.id_token = await tokens.idToken(t.ctx.base, t.app, user, nonce, lower, authTime);
  if (t.form.get('client_info') === '1') body.client_info = tokens.clientInfo(user);
  return json(200, body, NO_STORE);
}

async function authorizationCode(t: TokenRequest): Promise<EmuResponse> {
  const codeValue = t.form.get('code') ?? failWith('missingParam', { param: 'code' });
  const code = t.ctx.svc.sessions.code(codeValue) ?? failWith('badCode');
  const redirectUri = t.form.get('redirect_uri') ?? failWith('missingParam', { param: 'redirect_uri' });
  const redirect = findRedirect(t.app, redirectUri);
  if (!redirect || redirectUri !== code.redirectUri) failWith('redirectMismatch', { uri: redirectUri, app: t.app.clientId });
  checkClientType(t, redirect?.type === 'spa');
  if (code.clientId !== t.app.clientId) failWith('badCode');
  if (code.redeemed) failWith('codeRedeemed');
  if (code.expiresAt < Date.now()) failWith('codeExpired');
  verifyPkce(code.codeChallenge, code.challengeMethod, t.form.get('code_verifier') ?? undefined);
  code.redeemed = true;
  const user = activeUser(t, code.userId);
  return userTokens(t, user, code.scopes, code.nonce, code.authTime, redirect?.type === 'spa');
}

async function refreshToken(t: TokenRequest): Promise<EmuResponse> {
  const raw = t.form.get('refresh_token') ?? failWith('missingParam', { param: 'refresh_token' });
  const grant = t.ctx.svc.sessions.refreshGrant(raw) ?? failWith('badCode');
  if (grant.clientId !== t.app.clientId) failWith('badCode');
  checkClientType(t, grant.spa);
  if (grant.revoked) failWith('refreshRevoked');
  if (grant.expiresAt < Date.now()) failWith(grant.spa ? 'refreshExpired' : 'codeExpired');
  const requested = (t.form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const consented = new Set([...t.app.delegatedConsent, ...(t.app.userConsent.get(grant.userId) ?? []), ...graphScopes(grant.scopes)].map((s) => s.toLowerCase()));
  if (graphScopes(requested).some((s) => !consented.has(s.toLowerCase()))) failWith('consentRequired', { app: t.app.clientId, name: t.app.displayName });
  const user = activeUser(t, grant.userId);
  const scopes = requested.length > 0 ? [...new Set([...requested, ...grant.scopes.filter((s) => OIDC_SCOPES.has(s))])] : grant.scopes;
  // Rotation: a new refresh token each time; SPA ones keep the original 24 h deadline.
  return userTokens(t, user, scopes, undefined, grant.authTime, grant.spa, grant.spa ? grant.expiresAt : undefined);
}

async function token(ctx: EntraCtx): Promise<EmuResponse> {
  const cors = ctx.req.headers.origin ? { 'access-control-allow-origin': '*' } : {};
  try {
    const form = new URLSearchParams(readForm(ctx.req));
    const { state } = ctx.svc;
    if (!state.isKnownTenant(ctx.tenant)) failWith('tenantNotFound', { tenant: ctx.tenant });
    const clientId = form.get('client_id') ?? failWith('missingParam', { param: 'client_id' });
    const app = state.apps.get(clientId) ?? failWith('appNotFound', { app: clientId, tenant: state.tenant.tenantId });
    const t: TokenRequest = { ctx, form, app, origin: ctx.req.headers.origin, secret: clientSecret(ctx, form) };
    const grant = form.get('grant_type') ?? failWith('missingParam', { param: 'grant_type' });
    if (grant === 'client_credentials') return await clientCredentials(t);
    if (grant === 'authorization_code') return await authorizationCode(t);
    if (grant === 'refresh_token') return await refreshToken(t);
    return failWith('badGrant', { grant });
  } catch (err) {
    if (err instanceof TokenFailure) return tokenError(err.key, err.vars, cors);
    throw err;
  }
}

export function registerToken(r: Router<EntraCtx>): void {
  r.post('/:tenant/oauth2/v2.0/token', token);
}
