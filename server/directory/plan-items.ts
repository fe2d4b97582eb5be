import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/index.js';
import type { SyncedFields } from './entra.js';

/** One step of a plan; applying it twice changes nothing. */
export type PlanOp =
  | { op: 'create'; entraId: string; number: string; fields: SyncedFields; welcome: boolean }
  | { op: 'update'; extensionId: string; entraId: string; changes: Partial<SyncedFields> & { number?: string } }
  | { op: 'link'; extensionId: string; entraId: string; fields: SyncedFields }
  | { op: 'delete'; extensionId: string; entraId: string; name: string }
  | { op: 'release'; extensionId: string }
  | { op: 'group-create'; entraId: string; name: string }
  | { op: 'group-update'; groupId: string; name: string }
  | { op: 'group-delete'; groupId: string }
  | { op: 'group-release'; groupId: string };

/** Appends plan items to the run's persisted plan, many rows per statement. */
export class PlanWriter {
  private buffer: PlanOp[] = [];
  total = 0;
  deletes = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tenantId: string,
    private readonly runId: string,
    startAt = 0,
  ) {
    this.total = startAt;
  }

  add(op: PlanOp): void {
    this.buffer.push(op);
    if (op.op === 'delete') this.deletes++;
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes the buffered items (through `db`: the caller's transaction, so a page commits once). */
  async flush(db: Kysely<Database> | Transaction<Database> = this.db): Promise<void> {
    const ops = this.buffer;
    this.buffer = [];
    for (let i = 0; i < ops.length; i += 500) {
      const rows = ops.slice(i, i + 500).map((op) => ({
        tenant_id: this.tenantId,
        run_id: this.runId,
        seq: ++this.total,
        op: op.op,
        payload: JSON.stringify(op),
      }));
      await db.insertInto('sync_plan_item').values(rows).execute();
    }
  }
}

/** Plan items after `afterSeq`, in order. */
export async function readPlanItems(
  db: Kysely<Database>,
  runId: string,
  afterSeq: number,
  limit: number,
): Promise<Array<{ seq: number; op: PlanOp }>> {
  const rows = await db
    .selectFrom('sync_plan_item')
    .select(['seq', 'payload'])
    .where('run_id', '=', runId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: r.seq, op: JSON.parse(r.payload) as PlanOp }));
}

/** The run's plan items of the given kinds (a delta run's plan is small). */
export async function readPlanOps(db: Kysely<Database> | Transaction<Database>, runId: string, ops: Array<PlanOp['op']>): Promise<PlanOp[]> {
  const rows = await db.selectFrom('sync_plan_item').select('payload').where('run_id', '=', runId).where('op', 'in', ops).orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.payload) as PlanOp);
}
