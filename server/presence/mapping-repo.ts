import type { Kysely } from 'kysely';
import { nowIso, type Database } from '../store/index.js';
import { completeMapping, DEFAULT_PRESENCE_MAPPING, presenceMapping, presenceMappingInput, type PresenceMapping } from './mapping.js';

/** A stored mapping document; one from an older schema is completed with today's defaults. */
export function parseStoredMapping(text: string): PresenceMapping {
  const json: unknown = JSON.parse(text);
  const stored = presenceMapping.safeParse(json);
  if (stored.success) return stored.data;
  const partial = presenceMappingInput.safeParse(json);
  return completeMapping(partial.success ? partial.data : {});
}

/**
 * Per-extension presence mappings (`presence_mapping`, JSON text). An extension without a row
 * uses the defaults; a stored document from an older schema is completed with today's defaults.
 */
export function presenceMappingRepo(db: Kysely<Database>) {
  return {
    async get(tenantId: string, extensionId: string): Promise<PresenceMapping> {
      const row = await db
        .selectFrom('presence_mapping')
        .select('value')
        .where('tenant_id', '=', tenantId)
        .where('extension_id', '=', extensionId)
        .executeTakeFirst();
      return row ? parseStoredMapping(row.value) : structuredClone(DEFAULT_PRESENCE_MAPPING);
    },
    async put(tenantId: string, extensionId: string, mapping: PresenceMapping): Promise<PresenceMapping> {
      const value = JSON.stringify(mapping);
      const updatedAt = nowIso();
      await db
        .insertInto('presence_mapping')
        .values({ tenant_id: tenantId, extension_id: extensionId, value, updated_at: updatedAt })
        .onConflict((oc) => oc.column('extension_id').doUpdateSet({ value, updated_at: updatedAt }))
        .execute();
      return mapping;
    },
  };
}
