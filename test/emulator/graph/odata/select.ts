import { badRequest } from '../errors.js';

/** Parses $select against the entity's properties; null when absent (callers apply the default set). */
export function parseSelect(raw: string | null, known: ReadonlySet<string>, typeName: string): string[] | null {
  if (raw === null || raw.trim() === '') return null;
  const props = raw.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of props) {
    if (!known.has(p) && !known.has(p.toLowerCase())) badRequest(`Could not find a property named '${p}' on type 'microsoft.graph.${typeName}'.`, 'Request_BadRequest');
  }
  const canonical = new Map([...known].map((k) => [k.toLowerCase(), k]));
  return props.map((p) => canonical.get(p.toLowerCase()) ?? p);
}

/** Copies the selected properties (missing ones as null, like Graph). */
export function project(data: object, select: readonly string[]): Record<string, unknown> {
  const src = data as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of select) out[key] = src[key] ?? null;
  return out;
}

export const keysOf = (sample: object): Set<string> => new Set(Object.keys(sample));
