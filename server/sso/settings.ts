import { z } from 'zod';
import { settingsRepo, type Store } from '../store/index.js';
import { revokeAllSessions } from './sessions.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A web origin (`https://app.example.com`, or plain http on loopback for development). */
const webOrigin = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
      return secure && url.origin === text;
    } catch {
      return false;
    }
  },
  { message: 'must be an origin such as https://app.example.com (no path, no trailing slash; http only for localhost)' },
);

/** Settings kind `sso` (SPEC §6; ARCHITECTURE.md "sso: enabled"). */
export const ssoSettings = z.strictObject({
  /** The admin switch; sign-in also needs an enabled integration. */
  enabled: z.boolean().default(false),
  /** Origins of web clients (SDK pages) allowed to call the client API and to receive web-flow results. */
  allowedOrigins: z.array(webOrigin).max(100).default([]),
  /** Where the web flow returns when the client names no `returnTo` (must be on an allowed origin). */
  webClientUrl: z.url().nullable().default(null),
});
export type SsoSettings = z.output<typeof ssoSettings>;

const KIND = 'sso';
const VERSION = 1;

export const DEFAULT_SSO_SETTINGS: SsoSettings = ssoSettings.parse({});

export async function getSsoSettings(store: Store, tenantId: string): Promise<SsoSettings> {
  const stored = await settingsRepo(store.db).get(tenantId, KIND);
  const parsed = ssoSettings.safeParse(stored?.value ?? {});
  return parsed.success ? parsed.data : DEFAULT_SSO_SETTINGS;
}

export async function saveSsoSettings(store: Store, tenantId: string, value: SsoSettings): Promise<void> {
  await settingsRepo(store.db).put(tenantId, KIND, VERSION, value);
}

/** Every origin any tenant allows (CORS runs before we know the caller's tenant). */
export async function allAllowedOrigins(store: Store): Promise<Set<string>> {
  const rows = await store.db.selectFrom('settings').select('value').where('kind', '=', KIND).execute();
  const origins = new Set<string>();
  for (const row of rows) {
    const parsed = ssoSettings.safeParse(JSON.parse(row.value));
    if (parsed.success) for (const origin of parsed.data.allowedOrigins) origins.add(origin);
  }
  return origins;
}

/**
 * Saves the SSO settings. Turning SSO off revokes every session of the tenant at once (requests
 * re-check the switch too, so a session never outlives it by more than one request).
 */
export async function updateSsoSettings(
  store: Store,
  tenantId: string,
  value: SsoSettings,
): Promise<SsoSettings> {
  await saveSsoSettings(store, tenantId, value);
  if (!value.enabled) await revokeAllSessions(store, tenantId, 'sso_disabled');
  return value;
}
