import type { Store } from '../store/index.js';

/** Lifetimes and intervals of SSO; tests shorten them per store with `configureSso`. */
export interface SsoTunables {
  /** PBX access tokens: short, so a revoked session dies quickly even where nobody checks. */
  accessTtlMs: number;
  /** Each refresh token; rotation issues a new one with a fresh lifetime. */
  refreshTtlMs: number;
  /** Web-flow state and exchange nonces. */
  challengeTtlMs: number;
  /** Allowed clock difference with Entra for `nbf`/`exp`. */
  clockSkewSeconds: number;
  /** JWKS and OIDC discovery cache. */
  keysMaxAgeMs: number;
  /** Least time between two JWKS fetches for an unknown `kid` (a flood of forged kids cannot hammer Entra). */
  keysCooldownMs: number;
  /** SSE comment lines that keep proxies from closing an idle stream. */
  heartbeatMs: number;
}

export const DEFAULT_SSO_TUNABLES: SsoTunables = {
  accessTtlMs: 15 * 60_000,
  refreshTtlMs: 14 * 86_400_000,
  challengeTtlMs: 10 * 60_000,
  clockSkewSeconds: 120,
  keysMaxAgeMs: 24 * 3_600_000,
  keysCooldownMs: 30_000,
  heartbeatMs: 15_000,
};

const byStore = new WeakMap<Store, SsoTunables>();

export function configureSso(store: Store, tunables: Partial<SsoTunables>): void {
  byStore.set(store, { ...ssoTunables(store), ...tunables });
}

export function ssoTunables(store: Store): SsoTunables {
  return byStore.get(store) ?? DEFAULT_SSO_TUNABLES;
}
