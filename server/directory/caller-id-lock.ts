import { nowIso, type Store } from '../store/index.js';
import { LOCKED, LOCKED_WITH_CALLER_ID } from './entra.js';
import { newChangeLog, publishChanges, touch } from './events.js';

/**
 * businessPhoneAsCallerId switched: the synced extensions' caller id is locked (the sync owns it)
 * or unlocked at once, not at the next run, so the admin can set caller ids right after switching
 * off. Runs keep the lock in line from then on (syncedFields).
 */
export async function relockCallerIds(store: Store, tenantId: string, synced: boolean): Promise<void> {
  const lockedFields = synced ? LOCKED_WITH_CALLER_ID : LOCKED;
  await store.db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('extension')
      .set({ locked_fields: lockedFields, updated_at: nowIso() })
      .where('tenant_id', '=', tenantId)
      .where('source', '=', 'entra')
      .where('locked_fields', '!=', lockedFields)
      .returning('id')
      .execute();
    const log = newChangeLog();
    for (const row of rows) touch(log.extensions, row.id, 'updated');
    await publishChanges(trx, tenantId, log);
  });
}
