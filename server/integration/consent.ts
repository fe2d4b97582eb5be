import { z } from 'zod';
import { AppError, registerErrorCodes } from '../errors.js';
import { integrationRepo, type Store } from '../store/index.js';

registerErrorCodes({ consent_state_invalid: 400 });

/** Extra redirect URIs other modules need registered (SSO adds its web callback and SPA URIs). */
export const redirectUriProviders: Array<(base: string) => RedirectUri[]> = [];

export const redirectUri = z.object({
  uri: z.string(),
  /** The platform to add it under in the app registration's Authentication page. */
  type: z.enum(['web', 'spa']),
  purpose: z.string(),
});
export type RedirectUri = z.infer<typeof redirectUri>;

export const CONSENT_CALLBACK = '/api/v1/integration/consent/callback';

/** Every redirect URI the admin registers, computed from PUBLIC_URL (or the request's origin). */
export function redirectUris(base: string): RedirectUri[] {
  return [{ uri: `${base}${CONSENT_CALLBACK}`, type: 'web', purpose: 'Admin consent callback' }, ...redirectUriProviders.flatMap((p) => p(base))];
}

const STATE_CONTEXT = 'admin-consent';
const STATE_TTL_MS = 15 * 60_000;
const stateSchema = z.object({ t: z.string(), exp: z.number() });

/** Microsoft's /adminconsent URL; `state` is sealed, so the callback needs no server-side storage. */
export async function consentUrl(store: Store, tenantId: string, base: string): Promise<string> {
  const row = await integrationRepo(store.db).get(tenantId);
  if (!row) throw new AppError('integration_not_connected', 'Connect the integration before asking for admin consent.');
  const state = store.secrets.seal(JSON.stringify({ t: tenantId, exp: Date.now() + STATE_TTL_MS }), STATE_CONTEXT);
  const url = new URL(`${row.authority_host}/${encodeURIComponent(row.entra_tenant_id)}/adminconsent`);
  url.searchParams.set('client_id', row.client_id);
  url.searchParams.set('redirect_uri', `${base}${CONSENT_CALLBACK}`);
  url.searchParams.set('state', state);
  return url.toString();
}

/** Checks the callback's `state`; returns our tenant id. */
export function readConsentState(store: Store, state: string): string {
  let parsed: z.infer<typeof stateSchema>;
  try {
    parsed = stateSchema.parse(JSON.parse(store.secrets.open(state, STATE_CONTEXT)));
  } catch {
    throw new AppError('consent_state_invalid', 'The admin-consent answer does not belong to this server.', { hint: 'Start the consent again from the integration page.' });
  }
  if (parsed.exp < Date.now()) throw new AppError('consent_state_invalid', 'The admin-consent link expired.', { hint: 'Start the consent again from the integration page.' });
  return parsed.t;
}
