import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { newId, nowIso } from '../util.js';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Prefix makes leaked tokens recognisable to secret scanners. */
export const generateAdminToken = (): string => `ucb_admin_${randomBytes(24).toString('base64url')}`;

export function adminTokenRepo(db: Kysely<Database>) {
  return {
    async count(tenantId: string): Promise<number> {
      const row = await db
        .selectFrom('admin_token')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    /** Stores only the hash; idempotent for the same token. */
    async add(tenantId: string, token: string, label: string): Promise<void> {
      await db
        .insertInto('admin_token')
        .values({ id: newId(), tenant_id: tenantId, token_hash: hashToken(token), label, created_at: nowIso(), last_used_at: null })
        .onConflict((oc) => oc.column('token_hash').doNothing())
        .execute();
    },
    /**
     * Makes `token` the tenant's one token among those labelled `replaces` (the configured and the
     * generated one): a changed UCBRIDGE_ADMIN_TOKEN retires the token it replaces, which is how a
     * leaked token is revoked. Returns how many tokens were retired.
     */
    async replace(tenantId: string, token: string, label: string, replaces: string[]): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const retired = await trx
          .deleteFrom('admin_token')
          .where('tenant_id', '=', tenantId)
          .where('label', 'in', replaces)
          .where('token_hash', '!=', hashToken(token))
          .executeTakeFirst();
        await adminTokenRepo(trx).add(tenantId, token, label);
        return Number(retired.numDeletedRows);
      });
    },
    /** Returns the token's tenant and label when it is valid, recording its use. */
    async verify(token: string): Promise<{ tenantId: string; label: string } | undefined> {
      const row = await db
        .selectFrom('admin_token')
        .select(['id', 'tenant_id', 'label'])
        .where('token_hash', '=', hashToken(token))
        .executeTakeFirst();
      if (!row) return undefined;
      await db.updateTable('admin_token').set({ last_used_at: nowIso() }).where('id', '=', row.id).execute();
      return { tenantId: row.tenant_id, label: row.label };
    },
  };
}
