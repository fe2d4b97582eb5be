import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/index.js';
import type { SyncedFields } from './entra.js';
import { addProblems, saveRun, type Problem, type Progress } from './runs.js';

/** Synced fields in a plan: one planned before the lock state was synced (a held run) carries no `locked_fields`. */
type PlannedFields = Omit<SyncedFields, 'locked_fields'> & Partial<Pick<SyncedFields, 'locked_fields'>>;

/** What an update sets: synced columns, a number from the user's property, local overrides Entra's changes ended. */
export type UpdateChanges = Partial<SyncedFields> & { number?: string; local_overrides?: string | null };

/** Why a user was skipped, when a change elsewhere may lift it: a number (null: any automatic one) or capacity. */
export type Wait = { waitsFor: 'number'; number: string | null } | { waitsFor: 'capacity'; number: null };

/** One step of a plan; applying it twice changes nothing. */
export type PlanOp =
  | { op: 'create'; entraId: string; number: string; fields: PlannedFields; welcome: boolean }
  | { op: 'update'; extensionId: string; entraId: string; changes: UpdateChanges }
  | { op: 'link'; extensionId: string; entraId: string; fields: PlannedFields; localOverrides?: string | null }
  | { op: 'delete'; extensionId: string; entraId: string; name: string }
  | { op: 'release'; extensionId: string; entraId: string }
  /** The user waits for a number or capacity (parking.ts); `unpark`: no longer. */
  | ({ op: 'park'; entraId: string } & Wait)
  | { op: 'unpark'; entraId: string }
  /** A written step that a later listing of its user replaced. */
  | { op: 'withdrawn' }
  | { op: 'group-create'; entraId: string; name: string }
  | { op: 'group-update'; groupId: string; name: string }
  | { op: 'group-delete'; groupId: string }
  | { op: 'group-release'; groupId: string };

/** The Entra user a step is planned for, if any. */
export const userOf = (op: PlanOp): string | undefined => ('entraId' in op && !op.op.startsWith('group-') ? op.entraId : undefined);

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
   * A user listed again in the round: the last listing decides, so the steps planned for the
   * earlier one go. False when they may be applied already (DirectApplier): the directory says.
   */
  withdraw(entraId: string): boolean;
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
  /** Written steps by user (and which of them delete), should a later listing withdraw them. */
  private readonly written = new Map<string, number[]>();
  private readonly deleting = new Set<number>();
  /** Written steps withdrawn since the last page: rewritten as `withdrawn` with the next one. */
  private withdrawn: number[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly tenantId: string,
    private readonly runId: string,
  ) {}

  add(op: PlanOp): void {
    if (op.op === 'delete') this.deletes++;
    this.buffer.push(op);
  }

  withdraw(entraId: string): boolean {
    const mine = this.buffer.filter((op) => userOf(op) === entraId);
    this.deletes -= mine.filter((op) => op.op === 'delete').length;
    if (mine.length > 0) this.buffer = this.buffer.filter((op) => userOf(op) !== entraId);
    for (const seq of this.written.get(entraId) ?? []) {
      if (this.deleting.delete(seq)) this.deletes--;
      this.withdrawn.push(seq);
    }
    this.written.delete(entraId);
    return true;
  }

  /** One transaction per page: its plan items, problems and progress. */
  async record(progress: Progress, problems: Problem[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.flush(trx);
      await this.tombstone(trx);
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
        seq: this.remember(op, ++this.total),
        op: op.op,
        payload: JSON.stringify(op),
      }));
      await trx.insertInto('sync_plan_item').values(rows).execute();
    }
  }

  private remember(op: PlanOp, seq: number): number {
    const user = userOf(op);
    if (user !== undefined) this.written.set(user, [...(this.written.get(user) ?? []), seq]);
    if (op.op === 'delete') this.deleting.add(seq);
    return seq;
  }

  /** Withdrawn steps keep their place (seq runs 1..total, as the progress counts) and do nothing. */
  private async tombstone(trx: Transaction<Database>): Promise<void> {
    const seqs = this.withdrawn;
    this.withdrawn = [];
    const withdrawn: PlanOp = { op: 'withdrawn' };
    for (let i = 0; i < seqs.length; i += 500) {
      await trx
        .updateTable('sync_plan_item')
        .set({ op: withdrawn.op, payload: JSON.stringify(withdrawn) })
        .where('run_id', '=', this.runId)
        .where('seq', 'in', seqs.slice(i, i + 500))
        .execute();
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
