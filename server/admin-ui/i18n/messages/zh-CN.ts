import { connection } from './zh-CN/connection.js';
import { contacts } from './zh-CN/contacts.js';
import { directory } from './zh-CN/directory.js';
import { errors } from './zh-CN/errors.js';
import { pickers } from './zh-CN/pickers.js';
import { presence } from './zh-CN/presence.js';
import { schedule } from './zh-CN/schedule.js';
import { shell } from './zh-CN/shell.js';
import { sso } from './zh-CN/sso.js';
import { syncLog } from './zh-CN/sync-log.js';
import { syncSettings } from './zh-CN/sync-settings.js';
import { webhooks } from './zh-CN/webhooks.js';
import type { Messages } from './en.js';

/** Simplified Chinese: one file per part of the page (zh-CN/*.ts), as in English. */
export const zhCN: Messages = {
  ...shell, ...connection, ...syncSettings, ...syncLog, ...directory, ...pickers,
  ...presence, ...sso, ...schedule, ...contacts, ...webhooks, ...errors,
};
