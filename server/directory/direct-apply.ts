import { applyOps, type ApplyContext } from './apply.js';
import { newChangeLog, publishChanges } from './events.js';
import { settleChunk, type ExecuteDeps, type RunHooks } from './execute.js';
import { userOf, type PlanOp, type PlanSink } from './plan-items.js';
import { addProblems, saveRun, type Counts, type Problem, type Progress } from './runs.js';

export interface DirectApplierOptions {
  deps: ExecuteDeps;
  tenantId: string;
  runId: string;
  entraTenantId: string;
  counts: Counts;
  hooks?: RunHooks | undefined;
  /** Ops per transaction (APPLY_BATCH unless a test wants several batches). */
  batchSize?: number | undefined;
}

/**
 * Ops applied per transaction. A commit writes every index page the transaction touched, and the
 * inserts of a page of 999 users touch most pages of the index on Entra object ids (random keys):
 * committing ten pages at once writes those pages once instead of ten times.
 */
const APPLY_BATCH = 10_000;

/**
 * The first population of a directory. With no synced extension yet, a run can delete nothing, so
 * the deletion guard can never hold it and there is no plan to keep for a confirmation: every
 * APPLY_BATCH planned ops are applied in one transaction, with the pages' problems and
 * the run's progress, while the next pages are read and planned (no plan items written and read
 * back). A run killed midway leaves whole pages; the next run, a full round because delta links
 * are saved only at the end, creates the rest.
 */
export class DirectApplier implements PlanSink {
  readonly appliesDirectly = true;
  total = 0;
  deletes = 0;
  private buffer: PlanOp[] = [];
  private problems: Problem[] = [];
  private applied = 0;
  /** The batch being written while the next pages are planned (one at a time), and how it failed. */
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(private readonly options: DirectApplierOptions) {}

  add(op: PlanOp): void {
    this.buffer.push(op);
    this.total++;
    if (op.op === 'delete') this.deletes++;
  }

  /** Only steps not yet handed to a batch can go; the others are (being) applied. */
  withdraw(entraId: string): boolean {
    const mine = this.buffer.filter((op) => userOf(op) === entraId);
    if (mine.length === 0) return false;
    this.buffer = this.buffer.filter((op) => userOf(op) !== entraId);
    this.total -= mine.length;
    this.deletes -= mine.filter((op) => op.op === 'delete').length;
    return true;
  }

  async record(progress: Progress, problems: Problem[], last: boolean): Promise<void> {
    progress.planned = this.total;
    this.problems.push(...problems);
    if (this.buffer.length < (this.options.batchSize ?? APPLY_BATCH) && !last) return;
    // The previous batch must be in (and its failure reported) before the next one starts.
    await this.settled();
    const ops = this.buffer;
    const batchProblems = this.problems;
    this.buffer = [];
    this.problems = [];
    // Caught at once (an unhandled rejection would end the process), reported by the next call.
    this.writing = this.write(ops, batchProblems, progress).catch((error: unknown) => {
      this.failure = error instanceof Error ? error : new Error(String(error));
    });
    if (last) await this.settled();
  }

  idle(): Promise<void> {
    return this.writing;
  }

  private async settled(): Promise<void> {
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private async write(ops: PlanOp[], problems: Problem[], progress: Progress): Promise<void> {
    const { deps, tenantId, entraTenantId, counts, runId } = this.options;
    const ctx: ApplyContext = { tenantId, entraTenantId, counts, welcome: [], problems: [], changes: newChangeLog() };
    await deps.store.db.transaction().execute(async (trx) => {
      await applyOps(trx, ctx, ops);
      await publishChanges(trx, tenantId, ctx.changes);
      if (problems.length > 0) await addProblems(trx, tenantId, runId, problems);
      progress.applied = this.applied + ops.length;
      await saveRun(trx, runId, { progress, counts });
    });
    this.applied += ops.length;
    await settleChunk(deps, runId, ctx);
    await this.options.hooks?.afterChunk?.(this.applied);
  }
}
