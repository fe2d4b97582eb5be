import { createClient, type UcBridgeClient, type WithLock } from '../sdk/index.js';
import { extensionSessionStore } from './auth/session-store.js';
import { parseAuthority, webAuthFlowAuth } from './auth/web-auth-flow.js';
import { authRedirectUri, launchWebAuthFlow } from './platform/browser.js';
import type { Settings } from './settings/schema.js';

/**
 * The cross-context lock of the SDK's session refresh: a Web Lock is held across the extension's
 * pages and its background worker, so only one of them rotates the refresh token at a time (two
 * rotations of one token would look like theft to the server, which then revokes the sign-in).
 */
export const webLock: WithLock = <T>(name: string, task: () => Promise<T>): Promise<T> =>
  globalThis.navigator?.locks ? (navigator.locks.request(name, task) as Promise<T>) : task();

/** The Entra app typed into the settings: an advanced override of the one the server names. */
const overrideFrom = (settings: Settings) => parseAuthority(settings.entraAuthority.trim(), settings.entraClientId.trim());

/**
 * The SDK client for the configured server; undefined until one is set. Its session lives in
 * `storage.session`, shared by every page and the worker. A session the server ended stays
 * ended (no silent renewal): a sign-out in another place must not be undone behind the user's back.
 */
export function bridgeFor(settings: Settings): UcBridgeClient | undefined {
  if (!settings.serverUrl) return undefined;
  return createClient({
    serverUrl: settings.serverUrl,
    auth: webAuthFlowAuth({
      flow: { launch: launchWebAuthFlow, redirectUri: authRedirectUri(), fetch: (input, init) => fetch(input, init) },
      entraClient: (published) => overrideFrom(settings) ?? parseAuthority(published.authority, published.clientId),
      loginHint: () => settings.accountHint.trim() || undefined,
      renew: false,
    }),
    sessionStore: extensionSessionStore(settings.serverUrl),
    withLock: webLock,
  });
}
