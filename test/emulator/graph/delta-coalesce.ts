import type { DirChange, ObjectKind } from '../state/types.js';

/** Net effect of the change log on one object within a delta window. */
export interface Coalesced {
  id: string;
  created: boolean;
  props: Set<string>;
  removed: 'changed' | 'deleted' | null;
  memberAdds: Map<string, ObjectKind>;
  memberRemoves: Map<string, ObjectKind>;
}

function fresh(id: string): Coalesced {
  return { id, created: false, props: new Set(), removed: null, memberAdds: new Map(), memberRemoves: new Map() };
}

/**
 * Folds log entries into one record per object, in order of first change. Delta replies report
 * the latest state, not every intermediate step (delta-query-overview: "updates … are summarized").
 */
export function coalesce(entries: readonly DirChange[], kind: ObjectKind): Coalesced[] {
  const byId = new Map<string, Coalesced>();
  for (const e of entries) {
    if (e.kind !== kind) continue;
    let c = byId.get(e.id);
    if (!c) byId.set(e.id, (c = fresh(e.id)));
    switch (e.op) {
      case 'create':
      case 'restore':
        c.created = true;
        c.removed = null;
        break;
      case 'update':
        for (const p of e.props) c.props.add(p);
        break;
      case 'softDelete':
        c.removed = 'changed';
        break;
      case 'purge':
        c.removed = 'deleted';
        break;
      case 'memberAdd':
        if (!c.memberRemoves.delete(e.memberId)) c.memberAdds.set(e.memberId, e.memberKind);
        break;
      case 'memberRemove':
        if (!c.memberAdds.delete(e.memberId)) c.memberRemoves.set(e.memberId, e.memberKind);
        break;
    }
  }
  return [...byId.values()];
}
