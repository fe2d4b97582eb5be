import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.js';
import { adminSessions } from './002-admin-sessions.js';
import { directorySync } from './003-directory-sync.js';
import { sso } from './004-sso.js';
import { jobs } from './005-jobs.js';
import { presence } from './006-presence.js';
import { contactSync } from './007-contacts.js';
import { presenceGrants } from './008-presence-grants.js';
import { extensionAvatar } from './009-extension-avatar.js';
import { presenceLeases } from './010-presence-leases.js';
import { syncIndexes } from './011-sync-indexes.js';
import { runningRuns } from './012-running-runs.js';
import { queuedRuns } from './013-queued-runs.js';
import { localOverrides } from './014-local-overrides.js';
import { webhookEndpointQueue } from './015-webhook-endpoint-queue.js';
import { presenceCalendarError } from './016-presence-calendar-error.js';
import { parkedUsers } from './017-parked-users.js';
import type { Dialect, DialectMigration } from './types.js';

export type { Dialect } from './types.js';

/**
 * Every migration, in order. Names sort lexicographically; feature modules append theirs
 * (never edit one that has shipped).
 */
const all: Array<[string, DialectMigration]> = [
  ['001-initial', initial],
  ['002-admin-sessions', adminSessions],
  ['003-directory-sync', directorySync],
  ['004-sso', sso],
  ['005-jobs', jobs],
  ['006-presence', presence],
  ['007-contacts', contactSync],
  ['008-presence-grants', presenceGrants],
  ['009-extension-avatar', extensionAvatar],
  ['010-presence-leases', presenceLeases],
  ['011-sync-indexes', syncIndexes],
  ['012-running-runs', runningRuns],
  ['013-queued-runs', queuedRuns],
  ['014-local-overrides', localOverrides],
  ['015-webhook-endpoint-queue', webhookEndpointQueue],
  ['016-presence-calendar-error', presenceCalendarError],
  ['017-parked-users', parkedUsers],
];

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: () => {
      const migrations: Record<string, Migration> = {};
      for (const [name, migration] of all) migrations[name] = migration(dialect);
      return Promise.resolve(migrations);
    },
  };
}
