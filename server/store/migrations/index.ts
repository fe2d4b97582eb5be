import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.js';
import type { Dialect, DialectMigration } from './types.js';

export type { Dialect } from './types.js';

/**
 * Every migration, in order. Names sort lexicographically; feature modules append theirs
 * (never edit one that has shipped).
 */
const all: Array<[string, DialectMigration]> = [['001-initial', initial]];

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: () => {
      const migrations: Record<string, Migration> = {};
      for (const [name, migration] of all) migrations[name] = migration(dialect);
      return Promise.resolve(migrations);
    },
  };
}
