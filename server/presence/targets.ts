import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { PresenceMapping } from './mapping.js';
import { parseStoredMapping } from './mapping-repo.js';

/** A synced user whose presence is followed: their extension, Entra object id and mailbox. */
export interface PresenceTarget {
  extensionId: string;
  objectId: string;
  email: string;
  mapping: PresenceMapping;
}

interface Cached {
  updatedAt: string;
  mapping: PresenceMapping;
  /** The load that first read this version of the mapping. */
  load: number;
}

/** A followed user as the loader found them, with the load that first read their mapping's current version. */
export interface LoadedTarget extends PresenceTarget {
  mappingLoad: number;
}

/**
 * Who presence sync follows: enabled extensions synced from Entra whose user turned presence
 * sync on in their mapping. Read fresh every cycle — a user removed from sync, disabled, or who
 * turned it off drops out at the next cycle, and mapping edits apply at the next poll. Parsed
 * mappings are cached by `updated_at`, so a cycle over 50,000 users re-parses only what changed.
 * Loads are numbered: a caller that remembers its last load number finds the mappings edited since
 * (`mappingLoad` greater), whoever saved them (admin, the user's SDK, another instance).
 */
export function createTargetLoader() {
  const caches = new Map<string, Map<string, Cached>>();
  let loads = 0;
  return async function loadTargets(db: Kysely<Database>, tenantId: string): Promise<{ load: number; targets: LoadedTarget[] }> {
    const load = ++loads;
    const cache = caches.get(tenantId) ?? new Map<string, Cached>();
    caches.set(tenantId, cache);
    const rows = await followedRows(db, tenantId).execute();
    const targets: LoadedTarget[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      let cached = cache.get(row.id);
      if (cached?.updatedAt !== row.updated_at) cache.set(row.id, (cached = { updatedAt: row.updated_at, mapping: parseStoredMapping(row.value), load }));
      if (cached.mapping.enabled && row.entra_object_id) {
        targets.push({ extensionId: row.id, objectId: row.entra_object_id, email: row.email, mapping: cached.mapping, mappingLoad: cached.load });
      }
    }
    for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);
    return { load, targets };
  };
}
export type TargetLoader = ReturnType<typeof createTargetLoader>;

function followedRows(db: Kysely<Database>, tenantId: string) {
  return db
    .selectFrom('extension as e')
    .innerJoin('presence_mapping as m', 'm.extension_id', 'e.id')
    .select(['e.id', 'e.entra_object_id', 'e.email', 'm.value', 'm.updated_at'])
    .where('e.tenant_id', '=', tenantId)
    .where('e.source', '=', 'entra')
    .where('e.entra_object_id', 'is not', null)
    .where('e.enabled', '=', 1)
    .orderBy('e.id');
}

/** The followed users among these extensions (a notification's users), read without the cache. */
export async function targetsOf(db: Kysely<Database>, tenantId: string, extensionIds: readonly string[]): Promise<PresenceTarget[]> {
  if (extensionIds.length === 0) return [];
  const rows = await followedRows(db, tenantId).where('e.id', 'in', extensionIds).execute();
  return rows.flatMap((row) => {
    const mapping = parseStoredMapping(row.value);
    return mapping.enabled && row.entra_object_id ? [{ extensionId: row.id, objectId: row.entra_object_id, email: row.email, mapping }] : [];
  });
}
