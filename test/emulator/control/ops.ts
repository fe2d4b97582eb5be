import type { FaultConfig } from '../http/faults.js';
import type { LoggedRequest } from '../http/request-log.js';
import { newSecret, type AppRegistration, type RedirectType } from '../state/apps.js';
import type { SeedOptions, SeedResult } from '../state/seed.js';
import type { Services } from '../services.js';

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Operations of the control API, callable in-process (tests) or over HTTP (/_emulator/*).
 * Mutations of users/groups/contacts/presence live in control/mutations.ts.
 */
export class ControlOps {
  constructor(protected readonly svc: Services) {}

  protected app(clientId?: string): AppRegistration {
    const app = clientId ? this.svc.state.apps.get(clientId) : this.svc.state.readApp;
    if (!app) throw new ControlError(404, `unknown app ${clientId ?? ''}`);
    return app;
  }

  /** Replaces the tenant with a deterministic one. Unspecified options keep their previous values. */
  seed(opts: Partial<SeedOptions> = {}): SeedResult {
    const merged: SeedOptions = { ...this.svc.state.seedOptions, ...opts };
    this.svc.subscriptions.clear();
    return this.svc.state.seed(merged);
  }

  setFaults(config: FaultConfig): void {
    this.svc.faults.set(config);
  }

  clearFaults(): void {
    this.svc.faults.clear();
  }

  /** Every outstanding delta token (users, groups, contacts) becomes invalid. */
  expireDeltaTokens(opts: { status?: 400 | 410 } = {}): void {
    this.svc.state.directory.log.expireTokens();
    this.svc.state.mailboxes.expireDeltaTokens();
    if (opts.status) this.svc.settings.deltaExpiredStatus = opts.status;
  }

  /** Client secrets: expire → AADSTS7000222, revoke → AADSTS7000215. Applies to every secret unless keyId is given. */
  expireSecret(clientId?: string, keyId?: string): void {
    for (const s of this.app(clientId).secrets) if (!keyId || s.keyId === keyId) s.endDateTime = this.svc.state.clock.now() - 1000;
  }

  revokeSecret(clientId?: string, keyId?: string): void {
    for (const s of this.app(clientId).secrets) if (!keyId || s.keyId === keyId) s.revoked = true;
  }

  /** Adds a secret (the old ones keep working), like "New client secret" in the portal. */
  addSecret(clientId?: string, lifetimeDays = 180): { keyId: string; secretText: string; hint: string; endDateTime: string } {
    const secret = newSecret(this.svc.state.clock.now(), lifetimeDays);
    this.app(clientId).secrets.push(secret);
    return { keyId: secret.keyId, secretText: secret.value, hint: secret.hint, endDateTime: new Date(secret.endDateTime).toISOString() };
  }

  /** Sets the app's granted application permissions (the next token's `roles`). */
  setPermissions(roles: string[], clientId?: string): void {
    this.app(clientId).grantedRoles = [...roles];
  }

  setDelegatedConsent(scopes: string[], clientId?: string): void {
    const app = this.app(clientId);
    app.delegatedConsent = [...scopes];
    app.userConsent.clear();
  }

  addRedirectUri(uri: string, type: RedirectType = 'web', clientId?: string): void {
    const app = this.app(clientId);
    if (!app.redirectUris.some((r) => r.uri === uri)) app.redirectUris.push({ uri, type });
  }

  /** New active signing key; with retireOld the old keys leave the JWKS and their tokens stop working. */
  rotateKeys(retireOld = false): { kid: string } {
    const key = this.svc.keys.rotate(retireOld);
    if (retireOld) this.svc.tokens.forgetVerified();
    return { kid: key.kid };
  }

  /** Graph answers 401 InvalidAuthenticationToken to every access token issued so far. */
  expireTokens(): void {
    this.svc.sessions.tokenGeneration += 1;
  }

  /** Revokes a user's refresh tokens and SSO session (→ AADSTS50173 on refresh). */
  revokeUserSessions(userId: string): number {
    return this.svc.sessions.revokeUser(userId);
  }

  requests(filter: { path?: string; method?: string; since?: number } = {}): LoggedRequest[] {
    return this.svc.log.list(filter);
  }

  clearRequests(): void {
    this.svc.log.clear();
  }

  advanceClock(ms: number): void {
    this.svc.state.clock.advance(ms);
  }
}
