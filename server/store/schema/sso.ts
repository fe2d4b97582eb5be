/** Single sign-on: client sessions (access and refresh tokens) and pending sign-in challenges. */

export interface SessionTable {
  id: string;
  tenant_id: string;
  extension_id: string;
  access_hash: string;
  refresh_hash: string;
  /** Refresh-token family: reuse of a rotated token revokes the whole family. */
  family_id: string;
  access_expires_at: string;
  refresh_expires_at: string;
  revoked_at: string | null;
  /** `rotated` (replaced by a refresh), `reuse`, `logout`, `extension`, `sso_disabled`… */
  revoked_reason: string | null;
  created_at: string;
}

export interface SsoChallengeTable {
  /** SHA-256 of the web flow's `state` or of an exchange nonce. */
  id: string;
  tenant_id: string;
  /** `login` (web flow) or `nonce` (ID-token exchange). */
  kind: string;
  nonce: string;
  /** Sealed PKCE verifier (web flow). */
  code_verifier: string | null;
  /** SHA-256 of the cookie that ties the web flow to the browser that started it. */
  browser_hash: string | null;
  redirect_uri: string | null;
  return_to: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}
