import { DEFAULT_SETTINGS, serverOrigin, settingsSchema, type Settings } from './schema.js';

/**
 * Migrations in the refined-github style: small idempotent functions run over the stored object
 * on every load, in order, so any older or hand-edited shape ends up current. Each one fixes one
 * thing and leaves what it does not recognise to the next. A future rename of a setting is one
 * more function here (read the old key, write the new one, delete the old), appended before
 * `removeUnknownKeys`.
 */
export type StoredSettings = Record<string, unknown>;
export type Migration = (stored: StoredSettings) => void;

/** A server address is kept as a bare origin; an address we may not talk to is cleared. */
export const serverUrlToOrigin: Migration = (stored) => {
  if (typeof stored.serverUrl === 'string' && stored.serverUrl !== '') stored.serverUrl = serverOrigin(stored.serverUrl) ?? '';
};

/** Keys no version knows any more are dropped (refined-github's `removeUnused`). */
export const removeUnknownKeys: Migration = (stored) => {
  for (const key of Object.keys(stored)) if (!(key in DEFAULT_SETTINGS)) delete stored[key];
};

export const MIGRATIONS: readonly Migration[] = [serverUrlToOrigin, removeUnknownKeys];

/** Stored object (possibly empty, old or damaged) → current settings with defaults filled in. */
export function migrateSettings(stored: unknown, migrations: readonly Migration[] = MIGRATIONS): Settings {
  const copy: StoredSettings = stored && typeof stored === 'object' && !Array.isArray(stored) ? { ...(stored as StoredSettings) } : {};
  for (const migrate of migrations) migrate(copy);
  return settingsSchema.parse({ ...DEFAULT_SETTINGS, ...copy });
}
