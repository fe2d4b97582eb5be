import type { Store } from '../store/index.js';
import { statusBusFor } from './bus.js';

/**
 * Ends the status streams of extensions that may no longer have one: deleted (removed from
 * sync), disabled, or released from Entra. SSO revokes their sessions; this closes the streams
 * those sessions already opened, which would otherwise stay open until the client reconnects.
 * Returns how many extensions lost their streams.
 */
export async function endStreamsOfRemovedUsers(store: Store): Promise<number> {
  const bus = statusBusFor(store);
  const byTenant = new Map<string, string[]>();
  for (const { tenantId, extensionId } of bus.subscribed()) byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), extensionId]);
  let ended = 0;
  for (const [tenantId, ids] of byTenant) {
    const alive = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await store.db
        .selectFrom('extension')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', ids.slice(i, i + 500))
        .where('enabled', '=', 1)
        .where('source', '=', 'entra')
        .where('entra_object_id', 'is not', null)
        .execute();
      for (const row of rows) alive.add(row.id);
    }
    for (const id of ids) {
      if (alive.has(id)) continue;
      bus.end(tenantId, id, 'extension removed from sync, disabled or unlinked');
      ended++;
    }
  }
  return ended;
}
