import { randomId } from '../util/encoding.js';

export interface AuthCode {
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  codeChallenge: string | undefined;
  challengeMethod: string | undefined;
  authTime: number;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  clientId: string;
  userId: string;
  scopes: string[];
  authTime: number;
  /** SPA refresh tokens live 24 h and do not slide. */
  expiresAt: number;
  spa: boolean;
  revoked: boolean;
}

const CODE_TTL_MS = 10 * 60_000;

/** Short-lived sign-in artefacts: authorization codes, refresh tokens and browser sessions. */
export class EntraSessions {
  private readonly codes = new Map<string, AuthCode>();
  private readonly refresh = new Map<string, RefreshGrant>();
  /** Cookie value → signed-in user id (the "already signed in" SSO session). */
  private readonly browser = new Map<string, string>();
  /** Stamped into every access token; bumping it makes Graph reject all earlier tokens (control: expire tokens). */
  tokenGeneration = 1;

  issueCode(input: Omit<AuthCode, 'expiresAt' | 'redeemed'>): string {
    const code = `1.${randomId(48)}`;
    this.codes.set(code, { ...input, expiresAt: Date.now() + CODE_TTL_MS, redeemed: false });
    return code;
  }

  code(code: string): AuthCode | undefined {
    return this.codes.get(code);
  }

  issueRefresh(grant: Omit<RefreshGrant, 'revoked'>): string {
    const token = `1.${randomId(96)}`;
    this.refresh.set(token, { ...grant, revoked: false });
    return token;
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    return this.refresh.get(token);
  }

  /** Revokes every refresh token of a user (password reset, "revoke sessions"). */
  revokeUser(userId: string): number {
    let n = 0;
    for (const g of this.refresh.values()) {
      if (g.userId === userId && !g.revoked) {
        g.revoked = true;
        n++;
      }
    }
    for (const [cookie, uid] of this.browser) if (uid === userId) this.browser.delete(cookie);
    return n;
  }

  startBrowserSession(userId: string): string {
    const cookie = randomId(24);
    this.browser.set(cookie, userId);
    return cookie;
  }

  browserUser(cookie: string | undefined): string | undefined {
    return cookie ? this.browser.get(cookie) : undefined;
  }

  endBrowserSession(cookie: string | undefined): void {
    if (cookie) this.browser.delete(cookie);
  }

  clear(): void {
    this.codes.clear();
    this.refresh.clear();
    this.browser.clear();
    // Access tokens stay valid: clients cache them, and a reset should leave a usable tenant.
  }
}
