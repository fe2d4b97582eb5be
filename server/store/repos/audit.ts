import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { newId, nowIso } from '../util.js';

export interface AuditEntry {
  tenantId: string;
  /** Who: `admin:<label>`, `user:<extension id>`, `system`. */
  actor: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
  ip?: string;
}

export function auditRepo(db: Kysely<Database>) {
  return {
    async record(entry: AuditEntry): Promise<void> {
      await db
        .insertInto('audit_log')
        .values({
          id: newId(),
          tenant_id: entry.tenantId,
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          details: JSON.stringify(entry.details ?? {}),
          ip: entry.ip ?? '',
          at: nowIso(),
        })
        .execute();
    },
    /** Entries recorded before `before` (ISO time) leave the log; answers how many. */
    async prune(before: string): Promise<number> {
      const result = await db.deleteFrom('audit_log').where('at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    /** Newest first; `before` is the (at, id) of the last entry already seen. */
    async list(tenantId: string, options: { limit: number; before?: [string, string] | undefined }) {
      let query = db
        .selectFrom('audit_log')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(options.limit);
      const before = options.before;
      if (before) {
        query = query.where((eb) =>
          eb.or([eb('at', '<', before[0]), eb.and([eb('at', '=', before[0]), eb('id', '<', before[1])])]),
        );
      }
      const rows = await query.execute();
      return rows.map((r) => ({
        id: r.id,
        actor: r.actor,
        action: r.action,
        target: r.target,
        details: JSON.parse(r.details) as Record<string, unknown>,
        ip: r.ip,
        at: r.at,
      }));
    },
  };
}
