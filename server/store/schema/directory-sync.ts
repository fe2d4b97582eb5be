/** Directory sync: runs, their problems and planned operations, and the mirror of Entra groups they plan from. */
import type { Generated } from 'kysely';
import type { Flag } from './columns.js';

export interface SyncRunTable {
  id: string;
  tenant_id: string;
  kind: string;
  trigger: string;
  status: string;
  progress: string;
  counts: string;
  plan: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
}

export interface SyncProblemTable {
  id: Generated<number>;
  tenant_id: string;
  run_id: string;
  object_id: string;
  name: string;
  reason: string;
  hint: string;
}

export interface SyncPlanItemTable {
  tenant_id: string;
  run_id: string;
  seq: number;
  op: string;
  payload: string;
}

/** A user skipped for want of a number (`waits_for` `number`) or of capacity, looked up again by later runs. */
export interface SyncParkedUserTable {
  tenant_id: string;
  entra_object_id: string;
  waits_for: string;
  number: string | null;
}

/** Mirror of an Entra group (kept by groups delta). */
export interface EntraGroupTable {
  tenant_id: string;
  id: string;
  display_name: string;
  unified: Flag;
  security: Flag;
}

/** Mirror of a direct membership in an Entra group; `member_kind` is `user` or `group`. */
export interface EntraMembershipTable {
  tenant_id: string;
  group_id: string;
  member_id: string;
  member_kind: string;
}
