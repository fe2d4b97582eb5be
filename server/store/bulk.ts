import { CompiledQuery, SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Row = Record<string, string | number | null>;

/** PostgreSQL binds at most 65,535 parameters per statement; 500 rows of ~25 columns stay well under. */
const ROWS_PER_STATEMENT = 500;

/**
 * Inserts rows of one table, skipping those that conflict with a unique key; returns the `key`
 * values of the rows it inserted. On SQLite one prepared single-row statement runs per row
 * (sqlite-driver.ts): no statement of thousands of parameters to build, compile and bind, which
 * made bulk inserts twice as slow. On PostgreSQL, multi-row statements.
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
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values = rows.slice(i, i + ROWS_PER_STATEMENT).map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`);
    const result = await sql<Row>`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)} on conflict do nothing returning ${sql.ref(key)}`.execute(db);
    for (const r of result.rows) inserted.add(r[key]);
  }
  return inserted;
}
