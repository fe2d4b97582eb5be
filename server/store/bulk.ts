import { CompiledQuery, SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Row = Record<string, string | number | null>;

/**
 * Inserts rows of one table, skipping those that conflict with a unique key; returns the `key`
 * values of the rows it inserted. On SQLite one prepared single-row statement runs per row
 * (sqlite-driver.ts): no statement of thousands of parameters to build, compile and bind, which
 * made bulk inserts twice as slow. On PostgreSQL, one statement whose rows arrive as one JSON
 * parameter that the server turns into rows of the table's own type (json_populate_recordset):
 * no statement of thousands of parameters to build and compile here, and no parameter limit.
 * https://www.postgresql.org/docs/current/functions-json.html
 */
export async function insertIgnoringConflicts(db: Kysely<Database>, table: keyof Database, rows: Row[], key: string): Promise<Set<unknown>> {
  const first = rows[0];
  if (!first) return new Set();
  const columns = Object.keys(first);
  const inserted = new Set<unknown>();
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    const quoted = columns.map((c) => `"${c}"`).join(', ');
    const statement = `insert into "${table}" (${quoted}) values (${columns.map(() => '?').join(', ')}) on conflict do nothing`;
    const result = await db.executeQuery<{ changes: number }>(CompiledQuery.raw(statement, rows.map((row) => columns.map((c) => row[c] ?? null))));
    result.rows.forEach((r, i) => {
      if (r.changes > 0) inserted.add(rows[i]?.[key]);
    });
    return inserted;
  }
  const names = sql.join(columns.map((c) => sql.ref(c)));
  const result = await sql<Row>`insert into ${sql.table(table)} (${names})
    select ${names} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)
    on conflict do nothing returning ${sql.ref(key)}`.execute(db);
  for (const r of result.rows) inserted.add(r[key]);
  return inserted;
}

/**
 * After a bulk load: PostgreSQL plans by table statistics, which autovacuum refreshes only some
 * time later; until then a delta run's narrow membership refresh was planned as if the tables were
 * empty (a hash join over every membership: 400 ms instead of 1 ms at 100,000 users). SQLite's
 * plans for these queries are fixed by their join order (memberships.ts), so nothing to do there.
 */
export async function refreshStatistics(db: Kysely<Database>, tables: Array<keyof Database>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}
