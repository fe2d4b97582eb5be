/** Booleans are 0/1 integers: SQLite has no boolean type, and both dialects share one code path. */
export type Flag = 0 | 1;
