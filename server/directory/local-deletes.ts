import { AppError, errors } from '../errors.js';
import type { Store } from '../store/index.js';
import { newChangeLog, publishChanges, recordCascade } from './events.js';
import { getExtension } from './extensions.js';

/**
 * An admin deletes a local extension (SPEC §2: synced ones belong to Entra). The webhook events —
 * the extension's, and those of what it takes along by cascade — commit with the delete.
 */
export async function deleteExtension(store: Store, tenantId: string, id: string): Promise<void> {
  const current = await getExtension(store, tenantId, id);
  if (current.entraObjectId !== null) {
    throw new AppError('extension_synced', `Extension ${current.number} is synced from Entra ID and cannot be deleted here.`, {
      hint: 'Remove the user from the sync scope (or delete it in Entra ID); disconnect with release to manage it locally.',
    });
  }
  await store.db.transaction().execute(async (trx) => {
    const log = newChangeLog();
    await recordCascade(trx, tenantId, [id], log);
    await trx.deleteFrom('extension').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    log.deletedExtensions.push({ id, number: current.number, entraObjectId: null });
    await publishChanges(trx, tenantId, log);
  });
}

/** SPEC §3: synced groups cannot be deleted locally. */
export async function deleteExtensionGroup(store: Store, tenantId: string, id: string): Promise<void> {
  const group = await store.db.selectFrom('extension_group').select(['name', 'entra_object_id']).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!group) throw errors.notFound('Extension group', id);
  if (group.entra_object_id !== null) {
    throw new AppError('extension_group_synced', `Extension group '${group.name}' is synced from Entra ID and cannot be deleted here.`, {
      hint: 'Take it out of the group sync scope, or disconnect with release.',
    });
  }
  await store.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('extension_group').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    const log = newChangeLog();
    log.deletedGroups.push(id);
    await publishChanges(trx, tenantId, log);
  });
}
