import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/index.js';
import type { SyncedFields } from './entra.js';
import { addProblems, saveRun, type Problem, type Progress } from './runs.js';

/** Synced fields in a plan: one planned before the lock state was synced (a held run) carries no `locked_fields`. */
type PlannedFields = Omit<SyncedFields, 'locked_fields'> & Partial<Pick<SyncedFields, 'locked_fields'>>;

/** What an update sets: synced columns, a number from the user's property, local overrides Entra's changes ended. */
export type UpdateChanges = Partial<SyncedFields> & { number?: string; local_overrides?: string | null };

/** One step of a plan; applying it twice changes nothing. */
export type PlanOp =
  | { op: 'create'; entraId: string; number: string; fields: PlannedFields; welcome: boolean }
  | { op: 'update'; extensionId: string; entraId: string; changes: UpdateChanges }
  | { op: 'link'; extensionId: string; entraId: string; fields: PlannedFields; localOverrides?: string | null }
  | { op: 'delete'; extensionId: string; entraId: string; name: string }
  | { op: 'release'; extensionId: string }
  | { op: 'group-create'; entraId: string; name: string }
  | { op: 'group-update'; groupId: string; name: string }
  | { op: 'group-delete'; groupId: string }
  | { op: 'group-release'; groupId: string };

/**
 * Where the planner's ops go, page by page: the run's persisted plan (PlanWriter), or straight
 * into the directory when nothing can need holding (DirectApplier, direct-apply.ts).
 */
export interface PlanSink {
  /** Ops planned so far, and how many of them delete an extension. */
  readonly total: number;
  readonly deletes: number;
  /** True when the ops are applied instead of persisted. */
  readonly appliesDirectly: boolean;
  add(op: PlanOp): void;
  /**
   * Records a planned page: its ops, its problems and the run's progress (whose `planned` and
   * `applied` the sink keeps). `last`: the run's last page; everything is written when it resolves.
   */
  record(progress: Progress, problems: Problem[], last: boolean): Promise<void>;
  /** Resolves once no write of the sink is under way (a failed run must not write after it ended). */
  idle(): Promise<void>;
}

/** Appends plan items to the run's persisted plan, many rows per statement. */
export class PlanWriter implements PlanSink {
  private buffer: PlanOp[] = [];
  total = 0;
  deletes = 0;
  readonly appliesDirectly = false;
  /** A delta round may list a removed user twice (replayed pages): the guard counts extensions, not ops. */
  private readonly deleted = new Set<string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tenantId: string,
    private readonly runId: string,
  ) {}

  add(op: PlanOp): void {
    if (op.op === 'delete') {
      if (this.deleted.has(op.extensionId)) return;
      this.deleted.add(op.extensionId);
      this.deletes++;
    }
    this.buffer.push(op);
  }

  /** One transaction per page: its plan items, problems and progress. */
  async record(progress: Progress, problems: Problem[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.flush(trx);
      progress.planned = this.total;
      if (problems.length > 0) await addProblems(trx, this.tenantId, this.runId, problems);
      await saveRun(trx, this.runId, { progress });
    });
  }

  private async flush(trx: Transaction<Database>): Promise<void> {
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
      await trx.insertInto('sync_plan_item').values(rows).execute();
    }
  }

  idle(): Promise<void> {
    return Promise.resolve();
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
