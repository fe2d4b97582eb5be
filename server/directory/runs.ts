import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError, errors } from '../errors.js';
import { lockUntilCommit, newId, nowIso, type Database, type Store } from '../store/index.js';
import { publishEvent } from '../webhooks/index.js';
import { notifyRunFinished } from './hooks.js';

export const runTrigger = z.enum(['initial', 'manual', 'schedule', 'change']);
export type RunTrigger = z.infer<typeof runTrigger>;
export const runStatus = z.enum(['queued', 'running', 'held', 'succeeded', 'failed']);
export type RunStatus = z.infer<typeof runStatus>;

const progressSchema = z.object({ seen: z.number(), planned: z.number(), applied: z.number() });
const countsSchema = z.object({ created: z.number(), updated: z.number(), deleted: z.number(), skipped: z.number(), failed: z.number() });
export type Progress = z.infer<typeof progressSchema>;
export type Counts = z.infer<typeof countsSchema>;

/** What a run persists about its plan, so it can be held, confirmed and resumed. */
export const planState = z.object({
  phase: z.enum(['planning', 'planned', 'applying', 'done']),
  mode: z.enum(['full', 'delta']).default('full'),
  /** Plan items in total (seq runs 1..total). */
  total: z.number().default(0),
  deletes: z.number().default(0),
  guardLimit: z.number().nullable().default(null),
  confirmed: z.boolean().default(false),
  /** The Entra tenant the plan was computed for (stamped on created extensions). */
  entraTenantId: z.string().default(''),
  /**
   * Entra ids of the members a groups delta round added or removed: only their memberships (and
   * those of users and groups the plan adds or releases) are recomputed. `null`: every group's.
   */
  memberships: z.array(z.string()).nullable().default(null),
  /** Saved to delta_state only when the plan is fully applied. */
  deltaLinks: z.record(z.string(), z.string()).default({}),
  /** A first population, applied page by page while planning (direct-apply.ts). */
  direct: z.boolean().default(false),
  /** Asked for a full round (ignoring delta links): a queued run keeps the request until it starts. */
  full: z.boolean().default(false),
});
export type PlanState = z.infer<typeof planState>;

export const problemView = z.object({ objectId: z.string(), name: z.string(), reason: z.string(), hint: z.string() });
/** `partial`: the object was synced all the same, only part of it was not (not counted as skipped). */
export type Problem = z.infer<typeof problemView> & { partial?: true };

export const runView = z.object({
  id: z.string(),
  kind: z.string(),
  trigger: runTrigger,
  status: runStatus,
  progress: progressSchema,
  counts: countsSchema,
  problems: z.array(problemView),
  guard: z.object({ deletes: z.number(), limit: z.number() }).nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RunView = z.infer<typeof runView>;

export const emptyCounts = (): Counts => ({ created: 0, updated: 0, deleted: 0, skipped: 0, failed: 0 });

type Db = Kysely<Database>;

/**
 * A new running run (or, with `queued`, one waiting for the tenant's run slot: not started yet).
 * `kind` lets other syncs (contacts) share the run log; only directory runs carry a plan (the
 * recovery of interrupted plans never picks up other kinds).
 */
export async function createRun(db: Db, tenantId: string, trigger: RunTrigger, kind = 'directory', queued?: { full: boolean }): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto('sync_run')
    .values({
      id,
      tenant_id: tenantId,
      kind,
      trigger,
      status: queued ? 'queued' : 'running',
      progress: JSON.stringify({ seen: 0, planned: 0, applied: 0 }),
      counts: JSON.stringify(emptyCounts()),
      // Other kinds carry no plan, but a queued one keeps whether a full run was asked for.
      plan: kind === 'directory' || queued ? JSON.stringify(planState.parse({ phase: 'planning', full: queued?.full ?? false })) : null,
      error: null,
      created_at: now,
      started_at: queued ? null : now,
      finished_at: null,
      heartbeat_at: now,
    })
    .execute();
  return id;
}

export async function readRunRow(db: Db, tenantId: string, runId: string) {
  const row = await db.selectFrom('sync_run').selectAll().where('tenant_id', '=', tenantId).where('id', '=', runId).executeTakeFirst();
  if (!row) throw errors.notFound('Sync run', runId);
  return {
    ...row,
    status: runStatus.parse(row.status),
    progress: progressSchema.parse(JSON.parse(row.progress)),
    counts: countsSchema.parse(JSON.parse(row.counts)),
    planState: planState.parse(JSON.parse(row.plan ?? '{"phase":"planning"}')),
  };
}
export type RunRow = Awaited<ReturnType<typeof readRunRow>>;

/** `sync_run.finished` for any run that ends (success, failure, cancel), in the same transaction as the final save. */
async function publishFinished(db: Db, runId: string): Promise<void> {
  const row = await db.selectFrom('sync_run').select(['id', 'tenant_id', 'kind', 'trigger', 'status', 'counts', 'error', 'started_at', 'finished_at']).where('id', '=', runId).executeTakeFirst();
  if (!row) return;
  await publishEvent(db, row.tenant_id, 'sync_run.finished', {
    id: row.id,
    kind: row.kind,
    trigger: row.trigger,
    status: row.status,
    counts: countsSchema.parse(JSON.parse(row.counts)),
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  });
}

/**
 * Partial update of a run; progress, counts and plan are whole JSON documents. With `from`, only
 * while the run is in one of those statuses (an admin's confirm and cancel, or a cancel and the
 * start of a queued run, cannot both win): returns whether it was updated.
 */
export async function saveRun(
  db: Db,
  runId: string,
  changes: { status?: RunStatus; progress?: Progress; counts?: Counts; plan?: PlanState; error?: string | null; finished?: boolean },
  from?: RunStatus[],
): Promise<boolean> {
  const now = nowIso();
  let update = db
    .updateTable('sync_run')
    .set({
      heartbeat_at: now,
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.progress ? { progress: JSON.stringify(changes.progress) } : {}),
      ...(changes.counts ? { counts: JSON.stringify(changes.counts) } : {}),
      ...(changes.plan ? { plan: JSON.stringify(changes.plan) } : {}),
      ...(changes.error !== undefined ? { error: changes.error } : {}),
      ...(changes.finished ? { finished_at: now } : {}),
    })
    .where('id', '=', runId);
  if (from) update = update.where('status', 'in', from);
  const updated = (await update.executeTakeFirst()).numUpdatedRows > 0n;
  if (changes.finished && updated) await publishFinished(db, runId);
  return updated;
}

export async function addProblems(db: Db, tenantId: string, runId: string, problems: Problem[]): Promise<void> {
  for (let i = 0; i < problems.length; i += 200) {
    const rows = problems.slice(i, i + 200).map((p) => ({
      tenant_id: tenantId,
      run_id: runId,
      object_id: p.objectId,
      name: p.name,
      reason: p.reason,
      hint: p.hint,
    }));
    await db.insertInto('sync_problem').values(rows).execute();
  }
}

const PROBLEMS_SHOWN = 500;

export async function getRun(store: Store, tenantId: string, runId: string): Promise<RunView> {
  const row = await readRunRow(store.db, tenantId, runId);
  const problems = await store.db
    .selectFrom('sync_problem')
    .select(['object_id', 'name', 'reason', 'hint'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .limit(PROBLEMS_SHOWN)
    .execute();
  const plan = row.planState;
  return {
    id: row.id,
    kind: row.kind,
    trigger: runTrigger.parse(row.trigger),
    status: row.status,
    progress: row.progress,
    counts: row.counts,
    problems: problems.map((p) => ({ objectId: p.object_id, name: p.name, reason: p.reason, hint: p.hint })),
    guard: plan.guardLimit === null ? null : { deletes: plan.deletes, limit: plan.guardLimit },
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** Newest first, keyset-paged by (created_at, id). */
export async function listRuns(store: Store, tenantId: string, limit: number, before?: [string, string]) {
  let query = store.db
    .selectFrom('sync_run')
    .select(['id', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (before) {
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', before[0]), eb.and([eb('created_at', '=', before[0]), eb('id', '<', before[1])])]),
    );
  }
  const rows = await query.execute();
  return Promise.all(rows.map((r) => getRun(store, tenantId, r.id)));
}

/** The run of `kind` that blocks a new one: running with a live heartbeat, or held by the guard. */
export async function activeRun(db: Db, tenantId: string, staleBefore: string, kind = 'directory') {
  return db
    .selectFrom('sync_run')
    .select(['id', 'status', 'heartbeat_at'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .where((eb) => eb.or([eb('status', '=', 'held'), eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '>=', staleBefore)])]))
    .executeTakeFirst();
}

/** The run of `kind` waiting for the tenant's run slot (there is at most one: later requests join it). */
export async function queuedRun(db: Db, tenantId: string, kind = 'directory') {
  const row = await db.selectFrom('sync_run').select(['id', 'plan']).where('tenant_id', '=', tenantId).where('kind', '=', kind).where('status', '=', 'queued').orderBy('created_at').executeTakeFirst();
  return row ? { id: row.id, plan: planState.parse(JSON.parse(row.plan ?? '{"phase":"planning"}')) } : undefined;
}

export interface SlotRequest {
  kind: string;
  trigger: RunTrigger;
  /** Asked for a full round; a queued run keeps the request until it starts. */
  full: boolean;
  /** When the slot is busy: wait as the queued run instead of failing with `sync_run_active`. */
  queue: boolean;
  /** Running runs with an older heartbeat are dead and do not hold the slot. */
  staleBefore: string;
}

export interface SlotClaim {
  id: string;
  /** False: the run waits (queued) for the one holding the slot. */
  started: boolean;
  full: boolean;
}

/**
 * Claims the tenant's single run slot of `request.kind`, serialised per tenant and kind (across
 * instances on PostgreSQL: an advisory lock). A free slot goes to the queued run if there is one
 * (it serves this request too), else to a new run; a busy slot queues the request (`queue`) or
 * refuses it. A run held by the deletion guard always refuses: an admin decides on it first.
 */
export async function claimRunSlot(db: Db, tenantId: string, request: SlotRequest): Promise<SlotClaim> {
  const { kind, trigger } = request;
  return db.transaction().execute(async (trx) => {
    await lockUntilCommit(trx, `${kind === 'directory' ? 'sync' : kind}:${tenantId}`);
    const busy = await activeRun(trx, tenantId, request.staleBefore, kind);
    const waiting = await queuedRun(trx, tenantId, kind);
    const full = request.full || waiting?.plan.full === true;
    if (busy) {
      if (!request.queue || busy.status !== 'running') throw busyError(busy);
      if (!waiting) return { id: await createRun(trx, tenantId, trigger, kind, { full }), started: false, full };
      if (full !== waiting.plan.full) await saveRun(trx, waiting.id, { plan: { ...waiting.plan, full } });
      return { id: waiting.id, started: false, full };
    }
    const now = nowIso();
    // An admin may have cancelled the queued run meanwhile (outside this lock): then a new one.
    const promoted =
      waiting &&
      (await trx.updateTable('sync_run').set({ status: 'running', started_at: now, heartbeat_at: now, plan: JSON.stringify({ ...waiting.plan, full }) }).where('id', '=', waiting.id).where('status', '=', 'queued').executeTakeFirst()).numUpdatedRows > 0n;
    if (!promoted) return { id: await createRun(trx, tenantId, trigger, kind), started: true, full };
    return { id: waiting.id, started: true, full };
  });
}

export function busyError(run: { id: string; status: string }): AppError {
  return run.status === 'held'
    ? new AppError('sync_run_held', `Sync run ${run.id} is held by the deletion guard.`, {
        runId: run.id,
        hint: `Review it, then POST /api/v1/sync-runs/${run.id}/confirm (or /cancel).`,
      })
    : new AppError('sync_run_active', `Sync run ${run.id} is still running; only one runs at a time.`, { runId: run.id });
}

/** Tells run listeners (metrics) how a run ended, once that is committed; a run left to resume tells nothing. */
export async function reportRunOutcome(store: Store, tenantId: string, runId: string): Promise<void> {
  const row = await readRunRow(store.db, tenantId, runId);
  if (row.status === 'running' || row.status === 'queued') return;
  const ended = row.finished_at ? Date.parse(row.finished_at) : Date.now();
  const seconds = row.started_at ? Math.max(0, (ended - Date.parse(row.started_at)) / 1000) : 0;
  notifyRunFinished({ store, tenantId, kind: row.kind, status: row.status, counts: row.counts, seconds });
}
