import { z } from 'zod';
import { errors } from '../errors.js';
import type { Store } from '../store/index.js';
import { requireExtension } from './extensions.js';
import { completeMapping, extensionStatus, type PresenceMapping, type PresenceMappingInput, presenceMappingInput } from './mapping.js';
import { presenceMappingRepo } from './mapping-repo.js';
import { extensionStatusRepo, setExtensionStatus, type ExtensionStatusView } from './status.js';

/** What the admin API offers around one user's presence (SPEC §5, "the admin can set the mapping for one user or in bulk"). */

export async function getExtensionMapping(store: Store, tenantId: string, extensionId: string): Promise<PresenceMapping> {
  await requireExtension(store, tenantId, extensionId);
  return presenceMappingRepo(store.db).get(tenantId, extensionId);
}

/** Replaces a user's mapping; the poller reads it at its next call for that user (no restart). */
export async function putExtensionMapping(store: Store, tenantId: string, extensionId: string, input: PresenceMappingInput): Promise<PresenceMapping> {
  await requireExtension(store, tenantId, extensionId);
  return presenceMappingRepo(store.db).put(tenantId, extensionId, completeMapping(input));
}

export const bulkMappingInput = z.strictObject({
  /** Extension ids, or `"all"` for every extension synced from Entra. */
  extensionIds: z.union([z.literal('all'), z.array(z.string().min(1).max(100)).min(1).max(50_000)]),
  mapping: presenceMappingInput,
});
export type BulkMappingInput = z.infer<typeof bulkMappingInput>;

/** Sets one mapping for many users at once; unknown ids are refused before anything is written. */
export async function putMappingsInBulk(store: Store, tenantId: string, input: BulkMappingInput): Promise<{ updated: number }> {
  const base = store.db.selectFrom('extension').select('id').where('tenant_id', '=', tenantId);
  let ids: string[];
  if (input.extensionIds === 'all') {
    ids = (await base.where('source', '=', 'entra').where('entra_object_id', 'is not', null).execute()).map((r) => r.id);
  } else {
    const wanted = [...new Set(input.extensionIds)];
    const found = new Set<string>();
    for (let i = 0; i < wanted.length; i += 500) {
      for (const r of await base.where('id', 'in', wanted.slice(i, i + 500)).execute()) found.add(r.id);
    }
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw errors.validation(
        missing.slice(0, 10).map((id) => ({ path: 'body.extensionIds', message: `no extension '${id}'` })),
        `${missing.length} extension id(s) do not exist; nothing was changed.`,
      );
    }
    ids = wanted;
  }
  const mapping = completeMapping(input.mapping);
  await store.db.transaction().execute(async (trx) => {
    const repo = presenceMappingRepo(trx);
    for (const id of ids) await repo.put(tenantId, id, mapping);
  });
  return { updated: ids.length };
}

export async function getExtensionStatus(store: Store, tenantId: string, extensionId: string): Promise<ExtensionStatusView> {
  await requireExtension(store, tenantId, extensionId);
  return extensionStatusRepo(store.db).get(tenantId, extensionId);
}

export const manualStatusInput = z.strictObject({
  status: extensionStatus,
  /** Who sets it: an admin (default) or the PBX itself (e.g. a feature code dialled on the phone). */
  source: z.enum(['admin', 'pbx']).default('admin'),
});
export type ManualStatusInput = z.infer<typeof manualStatusInput>;

/** A status set by hand; when it is protected (business trip, off work by default) Teams and the calendar leave it alone. */
export async function putExtensionStatus(store: Store, tenantId: string, extensionId: string, input: ManualStatusInput): Promise<ExtensionStatusView> {
  await requireExtension(store, tenantId, extensionId);
  return setExtensionStatus(store, tenantId, extensionId, { status: input.status, source: input.source });
}
