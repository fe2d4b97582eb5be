import { createHash } from 'node:crypto';
import { onSyncedExtensionEnded } from '../directory/index.js';
import { onIntegrationEnded, redirectUriProviders, type RedirectUri } from '../integration/index.js';
import { revokeAllSessions, revokeSessionsForExtension } from './sessions.js';
import { webCallbackUri } from './sign-in.js';

/** The Firefox build's add-on id (manifest.json `browser_specific_settings.gecko.id`). */
const FIREFOX_ADDON_ID = 'extension@ucbridge.org';

/**
 * What Firefox's `identity.getRedirectURL()` answers for that id: the SHA-1 of the add-on id, in
 * hex, under extensions.allizom.org (Firefox's toolkit/components/extensions/child/ext-identity.js).
 * Fixed by the id, so it is ready to copy; Chrome's depends on the installed extension's id.
 */
const firefoxRedirectUri = (): string => `https://${createHash('sha1').update(FIREFOX_ADDON_ID).digest('hex')}.extensions.allizom.org/`;

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
      purpose: 'Browser extension sign-in in Chrome and Edge: replace <extension-id> with the installed extension id (shown on its options page)',
    },
    { uri: firefoxRedirectUri(), type: 'spa', purpose: 'Browser extension sign-in in Firefox' },
  ];
}

// Registered when the SSO module loads; directory and integration cannot import sso (import cycle).
redirectUriProviders.push(ssoRedirectUris);
onSyncedExtensionEnded((store, tenantId, extensionId) => revokeSessionsForExtension(store, tenantId, extensionId));
// SPEC §6: SSO stops with the integration; waiting for the next request would let sessions unused
// while it was off work again after it is enabled.
onIntegrationEnded((store, tenantId) => revokeAllSessions(store, tenantId, 'integration'));
