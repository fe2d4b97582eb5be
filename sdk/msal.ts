import { PublicClientApplication, type AccountInfo, type AuthenticationResult } from '@azure/msal-browser';
import { signInError, type AuthContext, type AuthStrategy } from './auth.js';
import { preparedNonce } from './prepared-nonce.js';
import type { SessionTokens } from './types.js';

/** Options of {@link msalAuth}. */
export interface MsalAuthOptions {
  /** The Entra app's client id (the integration's client id). */
  clientId: string;
  /** `https://login.microsoftonline.com/<tenant id>` (or the national cloud / emulator equivalent). */
  authority: string;
  /** An SPA redirect URI registered in the Entra app; its page must call `completeMsalRedirectBridge()`. */
  redirectUri: string;
  /** Hosts (with port) MSAL may trust without instance discovery, e.g. `['127.0.0.1:8443']` for the emulator. */
  knownAuthorities?: string[];
  /** `popup` (default) keeps the page; `redirect` navigates away and back (call `client.handleRedirect()` on load). */
  interaction?: 'popup' | 'redirect';
  /** Pre-selects the Microsoft account. */
  loginHint?: string;
  /** `local` (default) forgets the account in this page; `popup`/`redirect` also sign out of Microsoft. */
  signOutMode?: 'local' | 'popup' | 'redirect';
}

const SCOPES = ['openid', 'profile', 'email'];
const NONCE_KEY = 'ucbridge.msal.nonce';

/**
 * Sign-in with @azure/msal-browser: MSAL gets an ID token (with a nonce from the ucbridge server)
 * and the client exchanges it for a PBX session. Renewal uses MSAL's silent flow.
 */
export function msalAuth(options: MsalAuthOptions): AuthStrategy {
  let app: Promise<PublicClientApplication> | undefined;
  /** MSAL once initialised (it refuses to sign in before), for calling it without an await. */
  let ready: PublicClientApplication | undefined;
  const pca = () =>
    (app ??= (async () => {
      const instance = new PublicClientApplication({
        auth: {
          clientId: options.clientId,
          authority: options.authority,
          redirectUri: options.redirectUri,
          ...(options.knownAuthorities ? { knownAuthorities: options.knownAuthorities } : {}),
        },
        cache: { cacheLocation: 'sessionStorage' },
      });
      await instance.initialize();
      return (ready = instance);
    })());
  const popup = options.interaction !== 'redirect';
  const nonces = preparedNonce();
  const loginRequest = (nonce: string) => ({ scopes: SCOPES, nonce, ...(options.loginHint ? { loginHint: options.loginHint } : {}) });

  const exchange = async (ctx: AuthContext, result: AuthenticationResult, nonce?: string): Promise<SessionTokens> => {
    (await pca()).setActiveAccount(result.account);
    return ctx.exchangeIdToken(result.idToken, nonce);
  };
  const account = async (): Promise<AccountInfo | undefined> => {
    const instance = await pca();
    return instance.getActiveAccount() ?? instance.getAllAccounts()[0] ?? undefined;
  };

  return {
    prepare(ctx) {
      // A failure shows when the user signs in.
      void pca().catch(() => undefined);
      if (popup) nonces.prepare(ctx);
    },
    async signIn(ctx) {
      try {
        const next = nonces.take(ctx);
        // With MSAL and a nonce ready, nothing is awaited before loginPopup opens its window: the
        // click's user activation is still there, so popup blockers let it open.
        const nonce = typeof next === 'string' ? next : await next;
        if (!popup) {
          sessionStorage.setItem(NONCE_KEY, nonce);
          await (await pca()).loginRedirect(loginRequest(nonce));
          return undefined;
        }
        const instance = ready ?? (await pca());
        return await exchange(ctx, await instance.loginPopup(loginRequest(nonce)), nonce);
      } catch (cause) {
        throw signInError(cause);
      }
    },
    async completeSignIn(ctx) {
      try {
        const result = await (await pca()).handleRedirectPromise();
        if (!result) return undefined;
        const nonce = sessionStorage.getItem(NONCE_KEY) ?? undefined;
        sessionStorage.removeItem(NONCE_KEY);
        return await exchange(ctx, result, nonce);
      } catch (cause) {
        throw signInError(cause);
      }
    },
    async renew(ctx) {
      const current = await account();
      if (!current) return undefined;
      try {
        // A fresh ID token (via MSAL's refresh token): the cached one may be older than the server accepts.
        return await exchange(ctx, await (await pca()).acquireTokenSilent({ scopes: SCOPES, account: current, forceRefresh: true }));
      } catch {
        return undefined;
      }
    },
    async signOut() {
      const instance = await pca();
      const current = await account();
      if (options.signOutMode === 'popup') await instance.logoutPopup({ ...(current ? { account: current } : {}) });
      else if (options.signOutMode === 'redirect') await instance.logoutRedirect({ ...(current ? { account: current } : {}) });
      else await instance.clearCache({ ...(current ? { account: current } : {}) });
    },
  };
}
