/**
 * The one module that imports webextension-polyfill: everything else reaches the browser's
 * extension APIs through here, so Chrome (`chrome.*`) and Firefox (`browser.*`) look the same,
 * promise-based, and tests can see in one place what the extension uses.
 */
import browser, { type Runtime, type Storage } from 'webextension-polyfill';

export { browser };
export type StorageArea = Storage.StorageArea;
export type StorageChange = Storage.StorageChange;
export type Port = Runtime.Port;

/** The redirect URI of the web-auth flow (`https://<id>.chromiumapp.org/` in Chrome); register it as an SPA redirect URI. */
export const authRedirectUri = (): string => browser.identity.getRedirectURL();

/**
 * Opens the identity provider's page in the browser's own auth window and resolves with the URL
 * it finally redirected to. `interactive: false` succeeds only when no page needs the user.
 */
export const launchWebAuthFlow = (url: string, interactive: boolean): Promise<string> =>
  browser.identity.launchWebAuthFlow({ url, interactive });

/**
 * The host-permission pattern for one origin, e.g. `https://pbx.example.com/*`, without its port:
 * Firefox rejects ports in match patterns, and Chrome's portless pattern matches every port.
 */
export function originPattern(origin: string): string {
  const { protocol, hostname } = new URL(origin);
  return `${protocol}//${hostname}/*`;
}

/** Asks the user (must run in a click handler) for access to exactly one origin. */
export const requestOrigin = (origin: string): Promise<boolean> =>
  browser.permissions.request({ origins: [originPattern(origin)] });

export const hasOrigin = (origin: string): Promise<boolean> =>
  browser.permissions.contains({ origins: [originPattern(origin)] });

/**
 * A cheap extension API call that keeps the background alive in Chrome: it stops a service worker
 * 30 s after its last extension event or API call, and reading a fetch body is neither. Firefox
 * counts only events towards its event page's idle time, so there the call changes nothing.
 */
export const keepWorkerAlive = (): Promise<unknown> => browser.runtime.getPlatformInfo();

/** The browser's UI language and preferred content languages, most preferred first. */
export function browserLanguages(): string[] {
  return [browser.i18n.getUILanguage(), ...(globalThis.navigator?.languages ?? [])];
}
