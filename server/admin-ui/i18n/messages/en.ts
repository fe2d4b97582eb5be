import { connection } from './en/connection.js';
import { contacts } from './en/contacts.js';
import { directory } from './en/directory.js';
import { errors } from './en/errors.js';
import { pickers } from './en/pickers.js';
import { presence } from './en/presence.js';
import { schedule } from './en/schedule.js';
import { shell } from './en/shell.js';
import { sso } from './en/sso.js';
import { syncLog } from './en/sync-log.js';
import { syncSettings } from './en/sync-settings.js';
import { webhooks } from './en/webhooks.js';

/**
 * English: the reference catalogue. Every other language has exactly these keys (checked by
 * the compiler and by test/i18n/catalogues.test.ts). `{name}` marks a placeholder.
 * The texts live in one file per part of the page (en/*.ts); every language has the same files,
 * each typed against its English file, so a missing or stray key fails in the file it belongs to.
 */
export const en = {
  ...shell, ...connection, ...syncSettings, ...syncLog, ...directory, ...pickers,
  ...presence, ...sso, ...schedule, ...contacts, ...webhooks, ...errors,
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
