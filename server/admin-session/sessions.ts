import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken, newId, nowIso, type Database } from '../store/index.js';

/** A page session ends after this much inactivity… */
export const ADMIN_SESSION_IDLE_MS = 30 * 60 * 1000;
/** …and at the latest this long after sign-in, whatever the activity. */
export const ADMIN_SESSION_MAX_MS = 12 * 60 * 60 * 1000;

export interface OpenedAdminSession {
  /** Goes into the HttpOnly cookie; only its hash is stored. */
  token: string;
  /** Double-submit token the page echoes in a header on every change. */
  csrfToken: string;
  expiresAt: string;
}

export interface AdminSession {
  id: string;
  tenantId: string;
  label: string;
  csrfHash: string;
  expiresAt: string;
}

const newToken = (): string => randomBytes(32).toString('base64url');

/** Whether `csrfToken` is the one issued with the session (constant-time comparison). */
export function csrfMatches(session: AdminSession, csrfToken: string | undefined): boolean {
  if (!csrfToken) return false;
  const given = Buffer.from(hashToken(csrfToken), 'hex');
  const expected = Buffer.from(session.csrfHash, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Admin page sessions, stored hashed, with an idle and an absolute lifetime. */
export function adminSessionRepo(db: Kysely<Database>) {
  return {
    async open(tenantId: string, label: string): Promise<OpenedAdminSession> {
      const now = new Date();
      // Sign-ins are rare: a good moment to forget sessions that can no longer be used.
      await db.deleteFrom('admin_session').where('expires_at', '<=', now.toISOString()).execute();
      const opened = {
        token: newToken(),
        csrfToken: newToken(),
        expiresAt: new Date(now.getTime() + ADMIN_SESSION_MAX_MS).toISOString(),
      };
      await db
        .insertInto('admin_session')
        .values({
          id: newId(),
          tenant_id: tenantId,
          token_hash: hashToken(opened.token),
          csrf_hash: hashToken(opened.csrfToken),
          label,
          created_at: now.toISOString(),
          last_used_at: now.toISOString(),
          expires_at: opened.expiresAt,
        })
        .execute();
      return opened;
    },

    /** The live session for a cookie token, marking it used; undefined when unknown or expired. */
    async verify(token: string): Promise<AdminSession | undefined> {
      const row = await db
        .selectFrom('admin_session')
        .selectAll()
        .where('token_hash', '=', hashToken(token))
        .executeTakeFirst();
      if (!row) return undefined;
      const now = Date.now();
      const idleSince = Date.parse(row.last_used_at);
      if (Date.parse(row.expires_at) <= now || idleSince + ADMIN_SESSION_IDLE_MS <= now) {
        await db.deleteFrom('admin_session').where('id', '=', row.id).execute();
        return undefined;
      }
      await db.updateTable('admin_session').set({ last_used_at: nowIso() }).where('id', '=', row.id).execute();
      return { id: row.id, tenantId: row.tenant_id, label: row.label, csrfHash: row.csrf_hash, expiresAt: row.expires_at };
    },

    /** Ends the tenant's sessions opened with tokens of these labels (tokens that were retired). */
    async closeOpenedWith(tenantId: string, labels: string[]): Promise<void> {
      await db.deleteFrom('admin_session').where('tenant_id', '=', tenantId).where('label', 'in', labels).execute();
    },

    async close(id: string): Promise<void> {
      await db.deleteFrom('admin_session').where('id', '=', id).execute();
    },
  };
}
