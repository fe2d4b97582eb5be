import type { AuthContext, AuthStrategy, SessionTokens, SignInParameters } from '../../sdk/index.js';
import { SignInError, signInWithEntra, type EntraClient, type FlowDeps } from './entra-flow.js';

/**
 * The extension's SDK auth strategy (`AuthStrategy` from sdk/): Microsoft sign-in in the
 * browser's web-auth window (`identity.launchWebAuthFlow`; msal-browser cannot run in an MV3
 * service worker), then the ID token exchanged with the server through the SDK's context
 * (`POST /api/v1/sso/nonce`, which also names the Entra app, then `POST /api/v1/sso/token`).
 * `renew` tries the same without any window (`prompt=none`), which works while Microsoft still
 * has the user's sign-in cookie.
 */
export interface WebAuthFlowOptions {
  flow: FlowDeps;
  /** The Entra app to sign in with, given the one the server names (default: the server's). */
  entraClient?: (published: SignInParameters) => EntraClient | undefined;
  loginHint?: () => string | undefined;
  /** Offer silent renewal when the PBX session has ended (default true). */
  renew?: boolean;
}

/** `https://login.microsoftonline.com/<tenant>` → host + tenant. */
export function parseAuthority(authority: string, clientId: string): EntraClient | undefined {
  try {
    const url = new URL(authority);
    const tenant = url.pathname.split('/').filter(Boolean)[0];
    if (url.protocol !== 'https:' || !tenant || !clientId) return undefined;
    return { authorityHost: url.origin, entraTenantId: tenant, clientId };
  } catch {
    return undefined;
  }
}

const published = (parameters: SignInParameters) => parseAuthority(parameters.authority, parameters.clientId);

export function webAuthFlowAuth(options: WebAuthFlowOptions): AuthStrategy {
  async function run(ctx: AuthContext, interactive: boolean): Promise<SessionTokens> {
    const { nonce, clientId, authority } = await ctx.requestNonce();
    const client = (options.entraClient ?? published)({ clientId, authority });
    if (!client) throw new SignInError('sign_in_not_configured', 'The server does not say which Entra app to sign in with.');
    const loginHint = options.loginHint?.();
    const idToken = await signInWithEntra(client, options.flow, { nonce, interactive, ...(loginHint ? { loginHint } : {}) });
    return ctx.exchangeIdToken(idToken, nonce);
  }
  return {
    signIn: (ctx) => run(ctx, true),
    ...(options.renew === false ? {} : { renew: (ctx: AuthContext) => run(ctx, false).catch(() => undefined) }),
  };
}
