import { SdkErrorCodes, UcBridgeError } from './errors.js';
import type { SessionTokens, SignInChallenge } from './types.js';

/** What the client hands an auth strategy: the server calls a sign-in needs. */
export interface AuthContext {
  /** The ucbridge server, e.g. `https://pbx.example.com`. */
  readonly serverUrl: string;
  /** The PBX tenant (`default` on single-PBX deployments). */
  readonly tenant: string;
  /**
   * A single-use nonce from the server, to be put into the ID token request, with the server's
   * Entra client id and authority (so a strategy need not be told them).
   */
  requestNonce(): Promise<SignInChallenge>;
  /** Exchanges a Microsoft ID token for a PBX session (with the nonce it carries, if one was requested). */
  exchangeIdToken(idToken: string, nonce?: string): Promise<SessionTokens>;
}

/**
 * The seam between the client and how a user signs in. `msalAuth` (MSAL in the page) and
 * `serverFlowAuth` (the server's authorization-code flow) implement it; write your own for other
 * hosts (e.g. a browser extension using `identity.launchWebAuthFlow`).
 */
export interface AuthStrategy {
  /**
   * Gets ready for `signIn` ahead of the user's click (the client calls it while nobody is signed
   * in), so `signIn` can open a popup without first waiting for the network: browsers block a
   * popup opened once the click's user activation is gone. `msalAuth` initialises MSAL and fetches
   * a nonce here.
   */
  prepare?(ctx: AuthContext): void;
  /** Interactive sign-in. Resolves with a session, or `undefined` when the page navigates away (redirect flows). */
  signIn(ctx: AuthContext): Promise<SessionTokens | undefined>;
  /** Finishes a redirect sign-in on the page it returned to; `undefined` when there is nothing to finish. */
  completeSignIn?(ctx: AuthContext): Promise<SessionTokens | undefined>;
  /** A new session without user interaction, when the PBX session has ended; `undefined` when not possible. */
  renew?(ctx: AuthContext): Promise<SessionTokens | undefined>;
  /** Forgets the Microsoft sign-in (the client ends the PBX session itself). */
  signOut?(ctx: AuthContext): Promise<void>;
}

/** Options of {@link serverFlowAuth}. */
export interface ServerFlowOptions {
  /** Where the server sends the browser back to (default: this page without its fragment). Its origin must be allowed in the SSO settings. */
  returnTo?: string;
  /** Pre-fills the Microsoft account (`login_hint`). */
  loginHint?: string;
  /** How to navigate (default `location.assign`). */
  navigate?: (url: string) => void;
}

/** The query parameter that ties a redirect back to the sign-in this tab started. */
const FLOW_PARAM = 'ucb_flow';
const FLOW_KEY = 'ucbridge.serverFlow';

/** This page without its fragment and without the flow parameter. */
function here(): string {
  const query = new URLSearchParams(location.search);
  query.delete(FLOW_PARAM);
  const search = query.toString();
  return `${location.origin}${location.pathname}${search ? `?${search}` : ''}`;
}

function withFlow(url: string, flow: string): string {
  const target = new URL(url);
  target.searchParams.set(FLOW_PARAM, flow);
  return target.toString();
}

/**
 * Sign-in through the server's web flow: `GET /sso/login` → Microsoft → `/sso/callback` → back to
 * this page with the session in the URL fragment, which `completeSignIn` reads and removes. Only a
 * sign-in this tab started is finished: its return address carries a random flow id also kept in
 * `sessionStorage`, so a link with someone else's session in its fragment (login CSRF) is ignored.
 */
export function serverFlowAuth(options: ServerFlowOptions = {}): AuthStrategy {
  return {
    signIn(ctx) {
      const flow = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
      sessionStorage.setItem(FLOW_KEY, flow);
      const query = new URLSearchParams({ tenant: ctx.tenant, returnTo: withFlow(options.returnTo ?? here(), flow) });
      if (options.loginHint) query.set('loginHint', options.loginHint);
      (options.navigate ?? ((url: string) => location.assign(url)))(`${ctx.serverUrl}/sso/login?${query.toString()}`);
      return Promise.resolve(undefined);
    },
    completeSignIn() {
      const values = new URLSearchParams(location.hash.slice(1));
      const accessToken = values.get('accessToken');
      const error = values.get('error');
      if (!accessToken && !error) return Promise.resolve(undefined);
      const expected = sessionStorage.getItem(FLOW_KEY);
      const started = expected !== null && new URLSearchParams(location.search).get(FLOW_PARAM) === expected;
      sessionStorage.removeItem(FLOW_KEY);
      history.replaceState(history.state, '', here());
      if (!started) return Promise.resolve(undefined);
      if (error) return Promise.reject(new UcBridgeError(error, values.get('errorDescription') ?? 'Sign-in failed.'));
      return Promise.resolve({
        tokenType: 'Bearer',
        accessToken: accessToken ?? '',
        refreshToken: values.get('refreshToken') ?? '',
        expiresIn: Number(values.get('expiresIn') ?? 0),
        refreshExpiresIn: Number(values.get('refreshExpiresIn') ?? 0),
      });
    },
  };
}

/** Wraps a strategy's failure (cancelled popup, Microsoft error) into `sign_in_failed`, keeping server codes. */
export function signInError(cause: unknown): UcBridgeError {
  if (cause instanceof UcBridgeError) return cause;
  const code = (cause as { errorCode?: unknown }).errorCode;
  const reason = typeof code === 'string' ? ` (${code})` : '';
  return new UcBridgeError(SdkErrorCodes.signInFailed, `Signing in with Microsoft failed${reason}.`);
}
