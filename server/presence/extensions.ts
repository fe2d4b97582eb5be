import { AppError, errors } from '../errors.js';
import type { Store } from '../store/index.js';

export interface PresenceExtension {
  id: string;
  objectId: string | null;
}

/** The tenant's extension (any source), or `not_found`. */
export async function requireExtension(store: Store, tenantId: string, extensionId: string): Promise<PresenceExtension> {
  const row = await store.db
    .selectFrom('extension')
    .select(['id', 'entra_object_id', 'source'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', extensionId)
    .executeTakeFirst();
  if (!row) throw errors.notFound('Extension', extensionId);
  return { id: row.id, objectId: row.source === 'entra' ? row.entra_object_id : null };
}

/** The tenant's extension synced from Entra (it has a Teams presence), or an error saying why not. */
export async function requireSyncedExtension(store: Store, tenantId: string, extensionId: string): Promise<{ id: string; objectId: string }> {
  const extension = await requireExtension(store, tenantId, extensionId);
  if (!extension.objectId) {
    throw new AppError('presence_extension_not_synced', `Extension '${extensionId}' is not synced from Microsoft Entra ID, so it has no Teams presence.`, {
      hint: 'Only extensions created or linked by user sync can follow or set Teams presence.',
    });
  }
  return { id: extension.id, objectId: extension.objectId };
}
