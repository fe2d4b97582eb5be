import type { Kysely, Migration } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** A migration written once against Kysely's schema builder, told which dialect it runs on. */
export type DialectMigration = (dialect: Dialect) => Migration;

/** Column types that differ between the dialects. */
export function columnTypes(dialect: Dialect) {
  return {
    /** Auto-increment primary key. */
    serial: dialect === 'postgres' ? ('serial' as const) : ('integer' as const),
    text: 'text' as const,
    int: 'integer' as const,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against a schema that is still being built
export type AnyDb = Kysely<any>;
