import { completeMsalRedirectBridge } from '../redirect-bridge.js';

// The MSAL redirect URI page: hands the sign-in response back to the example page.
void completeMsalRedirectBridge();
