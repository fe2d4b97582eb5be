import type { Config } from '../config.js';
import { graphResource } from '../graph/index.js';
import type { Kysely } from 'kysely';
import { integrationRepo, nowIso, type Database, type Store } from '../store/index.js';
import { getPresenceSyncSettings } from './settings.js';

/**
 * Delegated grants for presence subscriptions: the Entra refresh token a user's web sign-in
 * returned, sealed, tied to that sign-in (session family). Graph accepts presence subscriptions
 * only with delegated tokens (graph/api/subscription-post-subscriptions, "Presence").
 */
const sealContext = (tenantId: string, extensionId: string) => `presence-grant:${tenantId}:${extensionId}`;

/** Delegated scope for presence subscriptions, prefixed with the Graph resource of the tenant's cloud. */
export const presenceScope = (graphEndpoint: string): string => `${graphResource(graphEndpoint)}/Presence.Read.All`;

/**
 * Extra scopes the web sign-in asks for: only when delegated subscriptions can work (presence
 * sync on, PUBLIC_URL set so Graph can reach us); otherwise the sign-in stays `openid profile email`.
 */
export async function presenceSignInScopes(deps: { store: Store; config: Pick<Config, 'publicUrl'> }, tenantId: string): Promise<string[]> {
  if (!deps.config.publicUrl) return [];
  const integration = await integrationRepo(deps.store.db).get(tenantId);
  const settings = await getPresenceSyncSettings(deps.store, tenantId);
  return integration && settings.enabled && settings.source !== 'calendar' ? ['offline_access', presenceScope(integration.graph_endpoint)] : [];
}

export interface PresenceGrant {
  extensionId: string;
  refreshToken: string;
  retryAt: string | null;
}

/** Which sign-ins ended: a session family, an extension's, or a whole tenant's (every given column matches). */
export type EndedSignIns = Partial<Record<'family_id' | 'tenant_id' | 'extension_id', string>>;

export function presenceGrantRepo(store: Store) {
  const db = store.db;
  return {
    /** Stores (or replaces) the grant of a sign-in; `sessionId` names the sign-in it belongs to. */
    async save(tenantId: string, extensionId: string, sessionId: string, refreshToken: string): Promise<void> {
      const session = await db.selectFrom('session').select('family_id').where('id', '=', sessionId).executeTakeFirst();
      if (!session) return;
      const now = nowIso();
      const values = { family_id: session.family_id, refresh_token: store.secrets.seal(refreshToken, sealContext(tenantId, extensionId)), retry_at: null, last_error: null, updated_at: now };
      await db
        .insertInto('presence_grant')
        .values({ tenant_id: tenantId, extension_id: extensionId, created_at: now, ...values })
        .onConflict((oc) => oc.column('extension_id').doUpdateSet(values))
        .execute();
    },
    /**
     * Grants whose sign-in is still live. A grant whose session family was revoked (logout,
     * unlink, reuse, SSO off) or has expired is deleted here: the token dies with the sign-in.
     */
    async live(tenantId: string): Promise<PresenceGrant[]> {
      const rows = await db.selectFrom('presence_grant').selectAll().where('tenant_id', '=', tenantId).execute();
      if (rows.length === 0) return [];
      const now = nowIso();
      const alive = new Set(
        (
          await db
            .selectFrom('session')
            .select('family_id')
            .where('tenant_id', '=', tenantId)
            .where('family_id', 'in', rows.map((r) => r.family_id))
            .where('revoked_at', 'is', null)
            .where('refresh_expires_at', '>', now)
            .execute()
        ).map((r) => r.family_id),
      );
      const dead = rows.filter((r) => !alive.has(r.family_id)).map((r) => r.extension_id);
      if (dead.length > 0) await db.deleteFrom('presence_grant').where('tenant_id', '=', tenantId).where('extension_id', 'in', dead).execute();
      return rows
        .filter((r) => alive.has(r.family_id))
        .map((r) => ({ extensionId: r.extension_id, refreshToken: store.secrets.open(r.refresh_token, sealContext(tenantId, r.extension_id)), retryAt: r.retry_at }));
    },
    /** Entra rotates refresh tokens: keep the newest. */
    async rotate(tenantId: string, extensionId: string, refreshToken: string): Promise<void> {
      await db
        .updateTable('presence_grant')
        .set({ refresh_token: store.secrets.seal(refreshToken, sealContext(tenantId, extensionId)), updated_at: nowIso() })
        .where('tenant_id', '=', tenantId)
        .where('extension_id', '=', extensionId)
        .execute();
    },
    /** A failure: polled meanwhile, tried again after `retryAt`. */
    async failed(tenantId: string, extensionId: string, message: string, retryAt: string): Promise<void> {
      await db.updateTable('presence_grant').set({ last_error: message, retry_at: retryAt, updated_at: nowIso() }).where('tenant_id', '=', tenantId).where('extension_id', '=', extensionId).execute();
    },
    /** The sign-ins were revoked: their grants go at once (`db`: the revoking transaction). */
    async removeForSignIns(ended: EndedSignIns, executor: Kysely<Database> = db): Promise<void> {
      if (Object.keys(ended).length === 0) throw new Error('removeForSignIns needs a family, extension or tenant');
      let remove = executor.deleteFrom('presence_grant');
      for (const [column, value] of Object.entries(ended)) remove = remove.where(column as keyof EndedSignIns, '=', value);
      await remove.execute();
    },
    async remove(tenantId: string, extensionId: string): Promise<void> {
      await db.deleteFrom('presence_grant').where('tenant_id', '=', tenantId).where('extension_id', '=', extensionId).execute();
    },
  };
}
