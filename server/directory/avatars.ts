import { z } from 'zod';
import { errors, isAppError } from '../errors.js';
import type { GraphClient, GraphMedia } from '../graph/index.js';
import { nowIso, type Store } from '../store/index.js';
import type { Problem } from './runs.js';

/** Photos fetched at once: well under Graph's per-app limits, and off the apply path. */
const CONCURRENCY = 4;

interface Target {
  id: string;
  entraObjectId: string;
  name: string;
}

/** Graph's 404 codes for a user without a photo (or without a mailbox to hold one, or gone). */
const NO_PHOTO = new Set(['ImageNotFound', 'ErrorItemNotFound', 'Request_ResourceNotFound']);

const isNoPhoto = (error: unknown): boolean =>
  isAppError(error) && error.code === 'graph_not_found' && NO_PHOTO.has(String(error.details?.graphCode));

async function storeAvatar(store: Store, tenantId: string, extensionId: string, photo: GraphMedia): Promise<void> {
  const row = { content_type: photo.contentType, etag: photo.etag ?? `"${photo.bytes.length}"`, data: photo.bytes.toString('base64'), updated_at: nowIso() };
  await store.db
    .insertInto('extension_avatar')
    .values({ extension_id: extensionId, tenant_id: tenantId, ...row })
    .onConflict((oc) => oc.column('extension_id').doUpdateSet(row))
    .execute();
}

async function syncOne(store: Store, graph: GraphClient, tenantId: string, target: Target): Promise<Problem | undefined> {
  try {
    const photo = await graph.request<GraphMedia>(`/users/${encodeURIComponent(target.entraObjectId)}/photo/$value`, { binary: true, headers: { accept: 'image/*' } });
    await storeAvatar(store, tenantId, target.id, photo);
  } catch (error) {
    if (isNoPhoto(error)) {
      await store.db.deleteFrom('extension_avatar').where('extension_id', '=', target.id).execute();
      return undefined;
    }
    return { objectId: target.entraObjectId, name: target.name, reason: `profile photo not read: ${(error as Error).message}`, hint: 'The next sync that changes this user tries again.' };
  }
  return undefined;
}

async function targetsOf(store: Store, tenantId: string, extensionIds: readonly string[] | undefined): Promise<Target[]> {
  const synced = () => store.db.selectFrom('extension').select(['id', 'entra_object_id', 'display_name']).where('tenant_id', '=', tenantId).where('entra_object_id', 'is not', null);
  const rows = [];
  if (!extensionIds) rows.push(...(await synced().execute()));
  else for (let i = 0; i < extensionIds.length; i += 500) rows.push(...(await synced().where('id', 'in', extensionIds.slice(i, i + 500)).execute()));
  return rows.flatMap((r) => (r.entra_object_id ? [{ id: r.id, entraObjectId: r.entra_object_id, name: r.display_name }] : []));
}

/**
 * SPEC §2 "profile photo as avatar": after a run applied its changes, the photos of the given
 * extensions (all synced ones when `undefined`: photo changes are not in the user delta, so full
 * rounds refresh them all), CONCURRENCY at a time. No photo → no avatar.
 */
export async function syncAvatars(store: Store, graph: GraphClient, tenantId: string, extensionIds: readonly string[] | undefined): Promise<Problem[]> {
  const targets = await targetsOf(store, tenantId, extensionIds);
  const problems: Problem[] = [];
  let next = 0;
  const worker = async () => {
    for (let target = targets[next++]; target; target = targets[next++]) {
      const problem = await syncOne(store, graph, tenantId, target);
      if (problem) problems.push(problem);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return problems;
}

export const avatarView = z.object({ contentType: z.string(), etag: z.string(), bytes: z.instanceof(Buffer) });
export type AvatarView = z.infer<typeof avatarView>;

/** The stored avatar of an extension (404 when it has none). */
export async function getAvatar(store: Store, tenantId: string, extensionId: string): Promise<AvatarView> {
  const row = await store.db
    .selectFrom('extension_avatar')
    .select(['content_type', 'etag', 'data'])
    .where('tenant_id', '=', tenantId)
    .where('extension_id', '=', extensionId)
    .executeTakeFirst();
  if (!row) throw errors.notFound('Avatar of extension', extensionId);
  return { contentType: row.content_type, etag: row.etag, bytes: Buffer.from(row.data, 'base64') };
}
