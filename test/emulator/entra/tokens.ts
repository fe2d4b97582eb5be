import { createHash, randomUUID } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { AppRegistration } from '../state/apps.js';
import type { EmulatorState } from '../state/state.js';
import type { UserRecord } from '../state/types.js';
import { b64url } from '../util/encoding.js';
import type { KeyRing } from './keys.js';
import type { EntraSessions } from './session.js';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
const ACCESS_TOKEN_SECONDS = 3599;

export interface AccessClaims extends JWTPayload {
  tid: string;
  appid: string;
  azp: string;
  oid: string;
  idtyp: 'app' | 'user';
  roles?: string[];
  scp?: string;
  /** Emulator-only: token generation, see EntraSessions.tokenGeneration. */
  xms_emu_gen?: number;
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; message: string };

/** Graph named by its resource URI or by its application id, as a scope prefix (both are accepted). */
const GRAPH_PREFIXES = [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`];

/** Graph scope names without the resource prefix; OIDC scopes dropped. */
export function graphScopes(scopes: readonly string[]): string[] {
  return scopes
    .filter((s) => !OIDC_SCOPES.has(s.toLowerCase()))
    .map((s) => {
      const prefix = GRAPH_PREFIXES.find((p) => s.toLowerCase().startsWith(p));
      return prefix ? s.slice(prefix.length) : s;
    })
    .filter((s) => s !== '.default');
}

/** Issues and verifies the tokens of the emulated tenant. */
export class TokenService {
  private readonly verified = new Map<string, AccessClaims>();

  constructor(
    private readonly state: EmulatorState,
    private readonly keys: KeyRing,
    private readonly sessions: EntraSessions,
  ) {}

  get tenantId(): string {
    return this.state.tenant.tenantId;
  }

  private async sign(claims: JWTPayload, lifetimeSeconds: number): Promise<string> {
    const key = this.keys.active;
    const now = Math.floor(Date.now() / 1000);
    const gen = this.sessions.tokenGeneration;
    return new SignJWT({ ...claims, uti: b64url(randomUUID()).slice(0, 22), xms_emu_gen: gen })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.kid })
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(key.privateKey);
  }

  /** Graph access tokens are v1.0-format tokens issued by sts.windows.net, audience Graph. */
  private graphBase(app: AppRegistration): JWTPayload {
    return {
      aud: GRAPH_RESOURCE,
      iss: `https://sts.windows.net/${this.tenantId}/`,
      idp: `https://sts.windows.net/${this.tenantId}/`,
      tid: this.tenantId,
      appid: app.clientId,
      azp: app.clientId,
      app_displayname: app.displayName,
      appidacr: '1',
      ver: '1.0',
    };
  }

  async appToken(app: AppRegistration): Promise<{ token: string; expiresIn: number }> {
    const claims: JWTPayload = { ...this.graphBase(app), oid: app.servicePrincipalId, sub: app.servicePrincipalId, idtyp: 'app' };
    // No roles claim at all when nothing is granted, as Entra does.
    if (app.grantedRoles.length > 0) claims.roles = [...app.grantedRoles];
    return { token: await this.sign(claims, ACCESS_TOKEN_SECONDS), expiresIn: ACCESS_TOKEN_SECONDS };
  }

  async userToken(app: AppRegistration, user: UserRecord, scopes: string[]): Promise<{ token: string; expiresIn: number; scope: string[] }> {
    const scp = graphScopes(scopes);
    if (scp.length === 0) scp.push('User.Read'); // Entra adds User.Read for an OIDC-only request
    const d = user.data;
    const claims: JWTPayload = {
      ...this.graphBase(app),
      appidacr: '0',
      oid: d.id,
      sub: pairwiseSub(d.id, GRAPH_APP_ID),
      idtyp: 'user',
      scp: scp.join(' '),
      upn: d.userPrincipalName,
      unique_name: d.userPrincipalName,
      name: d.displayName ?? '',
      given_name: d.givenName ?? undefined,
      family_name: d.surname ?? undefined,
      amr: ['pwd'],
    };
    return { token: await this.sign(claims, ACCESS_TOKEN_SECONDS), expiresIn: ACCESS_TOKEN_SECONDS, scope: scp.map((s) => `${GRAPH_RESOURCE}/${s}`) };
  }

  /** v2.0 ID token: https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference */
  async idToken(issuerBase: string, app: AppRegistration, user: UserRecord, nonce: string | undefined, scopes: string[], authTime: number): Promise<string> {
    const d = user.data;
    const claims: JWTPayload = {
      aud: app.clientId,
      iss: `${issuerBase}/${this.tenantId}/v2.0`,
      tid: this.tenantId,
      oid: d.id,
      sub: pairwiseSub(d.id, app.clientId),
      name: d.displayName ?? '',
      preferred_username: d.userPrincipalName,
      ver: '2.0',
      auth_time: Math.floor(authTime / 1000),
      rh: '0.emulator.',
    };
    if (scopes.includes('email') && d.mail) claims.email = d.mail;
    if (nonce) claims.nonce = nonce;
    return this.sign(claims, 3600);
  }

  /** `client_info`: base64url JSON {uid, utid}; MSAL builds the home account id from it. */
  clientInfo(user: UserRecord): string {
    return b64url(JSON.stringify({ uid: user.data.id, utid: this.tenantId }));
  }

  /** Validates a Graph bearer token the way Graph would (signature, audience, lifetime). */
  async verify(token: string): Promise<VerifyResult> {
    const cached = this.verified.get(token);
    if (cached) return this.checkLifetime(cached);
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return { ok: false, message: 'IDX14100: JWT is not well formed, there are no dots (.).' };
    }
    const key = kid ? this.keys.find(kid) : undefined;
    if (!key) return { ok: false, message: `IDX10503: Signature validation failed. The token's kid is: '${kid ?? ''}', but did not match any keys in TokenValidationParameters.` };
    try {
      const { payload } = await jwtVerify(token, key.publicKey, { algorithms: ['RS256'], clockTolerance: 300 });
      if (payload.aud !== GRAPH_RESOURCE && payload.aud !== GRAPH_APP_ID) return { ok: false, message: 'Access token validation failure. Invalid audience.' };
      const claims = payload as AccessClaims;
      if (this.verified.size > 20_000) this.verified.clear();
      this.verified.set(token, claims);
      return this.checkLifetime(claims);
    } catch {
      return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
    }
  }

  private checkLifetime(claims: AccessClaims): VerifyResult {
    const now = Date.now() / 1000;
    if ((claims.exp ?? 0) < now || claims.xms_emu_gen !== this.sessions.tokenGeneration) {
      return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
    }
    return { ok: true, claims };
  }

  /** Called when keys retire: cached verifications must not outlive their key. */
  forgetVerified(): void {
    this.verified.clear();
  }
}

/** `sub` is pairwise: stable per user and app, different across apps. */
export function pairwiseSub(userId: string, clientId: string): string {
  return createHash('sha256').update(`${userId}|${clientId}`).digest('base64url').slice(0, 43);
}
