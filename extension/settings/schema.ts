import { z } from 'zod';
import { LANGUAGES } from '../i18n/index.js';

/**
 * The extension's own settings (kept in `storage.local`; nothing secret — tokens live in
 * `storage.session`). Typed defaults, and a schema that replaces each invalid value with its
 * default rather than throwing the whole object away.
 */
export const DIAL_SCHEMES = ['tel', 'sip'] as const;
export type DialScheme = (typeof DIAL_SCHEMES)[number];

export const DEFAULT_SETTINGS = {
  /** Origin of the ucbridge server, e.g. `https://pbx.example.com`; empty until the user sets it. */
  serverUrl: '',
  /** Pre-fills the Microsoft sign-in page (`login_hint`). */
  accountHint: '',
  /**
   * An advanced override of the Entra app the server names with the sign-in nonce (and what older
   * servers need): the authority (`https://login.microsoftonline.com/<tenant id>`) and the
   * application (client) id. Used only when both are set.
   */
  entraAuthority: '',
  entraClientId: '',
  /** What click-to-dial links open: the phone app (`tel:`) or a SIP softphone (`sip:`). */
  dialScheme: 'tel' as DialScheme,
  /** A desktop notification when the extension status changes. */
  notifyOnChange: false,
  /** `auto` follows the browser's language. */
  language: 'auto' as 'auto' | (typeof LANGUAGES)[number],
};

export const settingsSchema = z.object({
  serverUrl: z.string().catch(DEFAULT_SETTINGS.serverUrl),
  accountHint: z.string().max(320).catch(DEFAULT_SETTINGS.accountHint),
  entraAuthority: z.string().max(500).catch(DEFAULT_SETTINGS.entraAuthority),
  entraClientId: z.string().max(100).catch(DEFAULT_SETTINGS.entraClientId),
  dialScheme: z.enum(DIAL_SCHEMES).catch(DEFAULT_SETTINGS.dialScheme),
  notifyOnChange: z.boolean().catch(DEFAULT_SETTINGS.notifyOnChange),
  language: z.enum(['auto', ...LANGUAGES]).catch(DEFAULT_SETTINGS.language),
});

export type Settings = z.infer<typeof settingsSchema>;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The origin of a server address the user typed, or undefined when it is not one we may talk
 * to: https anywhere, plain http only on loopback (development). Paths and slashes are dropped.
 */
export function serverOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  return secure && !url.username && !url.password ? url.origin : undefined;
}
