import { onSyncedExtensionEnded } from '../directory/index.js';
import { redirectUriProviders, type RedirectUri } from '../integration/index.js';
import { revokeSessionsForExtension } from './sessions.js';
import { webCallbackUri } from './sign-in.js';

/** The redirect URIs SSO needs in the Entra app registration, listed by GET /api/v1/integration. */
export function ssoRedirectUris(base: string): RedirectUri[] {
  return [
    { uri: webCallbackUri(base), type: 'web', purpose: 'Web client sign-in (SSO callback)' },
    {
      uri: 'https://<pbx-web-client-origin>/',
      type: 'spa',
      purpose: "SDK sign-in with MSAL: register each PBX web page origin the SDK runs on (SSO settings' allowed origins)",
    },
    {
      uri: 'https://<extension-id>.chromiumapp.org/',
      type: 'spa',
      purpose: 'Browser extension sign-in: replace <extension-id> with the installed extension id (shown on its options page)',
    },
  ];
}

// Registered when the SSO module loads; directory and integration cannot import sso (import cycle).
redirectUriProviders.push(ssoRedirectUris);
onSyncedExtensionEnded((store, tenantId, extensionId) => revokeSessionsForExtension(store, tenantId, extensionId));
