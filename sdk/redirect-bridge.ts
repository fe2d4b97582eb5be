/**
 * For the page at the MSAL redirect URI: hands the sign-in response to the page that opened the
 * popup (or back to the page that started a redirect). The page needs nothing else:
 * ```ts
 * import { completeMsalRedirectBridge } from 'ucbridge-sdk/redirect-bridge';
 * void completeMsalRedirectBridge();
 * ```
 */
export { broadcastResponseToMainFrame as completeMsalRedirectBridge } from '@azure/msal-browser/redirect-bridge';
