import { z } from 'zod';

/**
 * Local changes to synced extensions. SPEC §2 locks five synced fields; the others (and the number,
 * and whether the extension is enabled) an admin may change here. A sync must not undo such a
 * change at its next run, yet Entra ID stays the source: the change is kept until the value
 * changes in Entra ID, and then Entra's new value wins. So for each column changed locally the
 * extension keeps the value Entra had set then (`local_overrides`, column → value).
 */
export type Overrides = Record<string, string | number>;

/** Columns a local change may override (the locked ones are refused before they get here). */
const OVERRIDABLE = new Set(['number', 'display_name', 'business_phone', 'department', 'office', 'enabled']);

const stored = z.record(z.string(), z.union([z.string(), z.number()]));

export const readOverrides = (json: string | null): Overrides => (json ? stored.parse(JSON.parse(json)) : {});

const overridesJson = (overrides: Overrides): string | null => (Object.keys(overrides).length > 0 ? JSON.stringify(overrides) : null);

/**
 * `local_overrides` after an admin's change to a synced extension: a column changed for the first
 * time remembers the value Entra had set; one set back to that value is Entra's again.
 */
export function overridesAfterLocalChange(current: Record<string, unknown> & { local_overrides: string | null }, changes: Record<string, string | number>): string | null {
  const overrides = readOverrides(current.local_overrides);
  for (const [column, value] of Object.entries(changes)) {
    if (!OVERRIDABLE.has(column)) continue;
    const entraValue = overrides[column] ?? (current[column] as string | number);
    if (value === entraValue) delete overrides[column];
    else overrides[column] = entraValue;
  }
  return overridesJson(overrides);
}

/**
 * What a sync does with a column the admin changed: keep the local value while Entra's is the one
 * the change was made over (`true`); once Entra's value differs, the override is dropped from
 * `overrides` and Entra's value applies (`false`). Columns not overridden are Entra's (`false`).
 */
export function keepsLocalValue(overrides: Overrides, column: string, entraValue: string | number): boolean {
  if (!(column in overrides)) return false;
  if (overrides[column] === entraValue) return true;
  delete overrides[column];
  return false;
}

/** The `local_overrides` to store when a sync dropped some of `before`'s, else undefined (unchanged). */
export function droppedOverrides(before: string | null, overrides: Overrides): { local_overrides: string | null } | undefined {
  const after = overridesJson(overrides);
  return after === before ? undefined : { local_overrides: after };
}
