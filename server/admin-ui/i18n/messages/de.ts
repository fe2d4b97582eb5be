import { connection } from './de/connection.js';
import { contacts } from './de/contacts.js';
import { directory } from './de/directory.js';
import { errors } from './de/errors.js';
import { pickers } from './de/pickers.js';
import { presence } from './de/presence.js';
import { schedule } from './de/schedule.js';
import { shell } from './de/shell.js';
import { sso } from './de/sso.js';
import { syncLog } from './de/sync-log.js';
import { syncSettings } from './de/sync-settings.js';
import { webhooks } from './de/webhooks.js';
import type { Messages } from './en.js';

/** German: one file per part of the page (de/*.ts), as in English. */
export const de: Messages = {
  ...shell, ...connection, ...syncSettings, ...syncLog, ...directory, ...pickers,
  ...presence, ...sso, ...schedule, ...contacts, ...webhooks, ...errors,
};
