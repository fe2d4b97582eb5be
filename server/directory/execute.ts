import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { nowIso, type Database, type Store } from '../store/index.js';
import { hasWebhookSubscribers } from '../webhooks/index.js';
import { applyOps, readPlanItems, type ApplyContext } from './apply.js';
import { newChangeLog, publishChanges, touch } from './events.js';
import { notifyExtensionsEnded } from './hooks.js';
import { membershipScope, refreshMemberships } from './memberships.js';
import { StopRequested } from './plan.js';
import { countSynced } from './synced.js';
import { addProblems, readRunRow, saveRun, type PlanState, type Problem } from './runs.js';
import type { UserSyncSettings } from './settings.js';
import { sendWelcome } from './welcome.js';

export interface ExecuteDeps {
  store: Store;
  config: Pick<Config, 'smtpUrl' | 'smtpFrom'>;
}

/** Test seams: observe (or interrupt) the apply phase after each committed chunk. */
export interface RunHooks {
  afterChunk?: (applied: number) => Promise<void> | void;
}

export interface ApplyOptions {
  hooks?: RunHooks | undefined;
  chunkSize?: number | undefined;
  shouldStop: () => boolean;
}

/**
 * The deletion guard: a plan deleting more than max(minimum, percent %) of the synced extensions
 * waits for an admin. Returns the limit when the run must be held.
 */
export async function guardLimit(db: Kysely<Database>, tenantId: string, plan: PlanState, guard: UserSyncSettings['deletionGuard']): Promise<number | undefined> {
  if (!guard.enabled || plan.confirmed || plan.deletes === 0) return undefined;
  const limit = Math.max(guard.minimum, Math.floor((guard.percent / 100) * (await countSynced(db, tenantId))));
  return plan.deletes > limit ? limit : undefined;
}

/**
 * The run's delta links, unless the sync state was forgotten after the run started (a rule change
 * or a pause that deleted the extensions, cleanup.ts): its plan followed the old rules, so the next
 * run must be a full one.
 */
async function saveDeltaLinks(db: Kysely<Database>, tenantId: string, links: Record<string, string>, runStartedAt: string): Promise<void> {
  for (const [resource, link] of Object.entries(links)) {
    const updated_at = nowIso();
    await db
      .insertInto('delta_state')
      .values({ tenant_id: tenantId, resource, delta_link: link, updated_at })
      .onConflict((oc) => oc.columns(['tenant_id', 'resource']).doUpdateSet({ delta_link: link, updated_at }).where('delta_state.updated_at', '<=', runStartedAt))
      .execute();
  }
}

async function sendWelcomes(deps: ExecuteDeps, ctx: ApplyContext): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const mail of ctx.welcome) {
    try {
      await sendWelcome(deps.config, mail);
    } catch (error) {
      problems.push({ objectId: mail.extensionId, name: mail.name, reason: `welcome email not sent: ${(error as Error).message}`, hint: 'Check SMTP_URL and the mail server log.' });
    }
  }
  return problems;
}

/**
 * What follows an applied chunk's commit: its sessions end, its welcome emails go out, its
 * problems are recorded. Returns the extensions it created or updated.
 */
export async function settleChunk(deps: ExecuteDeps, runId: string, ctx: ApplyContext): Promise<string[]> {
  await notifyExtensionsEnded(deps.store, ctx.tenantId, ctx.changes.revoke);
  const problems = [...ctx.problems, ...(await sendWelcomes(deps, ctx))];
  if (problems.length > 0) await addProblems(deps.store.db, ctx.tenantId, runId, problems);
  return [...ctx.changes.extensions.keys()];
}

/**
 * The apply phase (returns the extensions it created or updated): plan items in order, one transaction per chunk that also records how far it
 * got — so a run killed at any point resumes exactly after the last committed chunk. Delta links
 * are saved only with the last step, so an unfinished run is re-read from the old ones.
 */
export async function applyPlan(deps: ExecuteDeps, tenantId: string, runId: string, options: ApplyOptions): Promise<string[]> {
  const db = deps.store.db;
  const row = await readRunRow(db, tenantId, runId);
  const { progress, counts } = row;
  const plan: PlanState = { ...row.planState, phase: 'applying' };
  await saveRun(db, runId, { status: 'running', plan });
  // Big chunks: each is one transaction (a commit, a progress update, one read of plan items).
  const chunkSize = options.chunkSize ?? 2000;
  const changed: string[] = [];
  for (;;) {
    const items = await readPlanItems(db, runId, progress.applied, chunkSize);
    const last = items[items.length - 1];
    if (!last) break;
    const ctx: ApplyContext = { tenantId, entraTenantId: plan.entraTenantId, counts, welcome: [], problems: [], changes: newChangeLog() };
    await db.transaction().execute(async (trx) => {
      await applyOps(trx, ctx, items.map((i) => i.op));
      await publishChanges(trx, tenantId, ctx.changes);
      progress.applied = last.seq;
      await saveRun(trx, runId, { progress, counts });
    });
    changed.push(...(await settleChunk(deps, runId, ctx)));
    await options.hooks?.afterChunk?.(progress.applied);
    if (options.shouldStop()) throw new StopRequested();
  }
  await db.transaction().execute(async (trx) => {
    const membersChanged = newChangeLog();
    const scope = await membershipScope(trx, runId, plan);
    for (const groupId of await refreshMemberships(trx, tenantId, scope, await hasWebhookSubscribers(trx, tenantId))) touch(membersChanged.groups, groupId, 'updated');
    await publishChanges(trx, tenantId, membersChanged);
    await saveDeltaLinks(trx, tenantId, plan.deltaLinks, row.started_at ?? row.created_at);
    await trx.deleteFrom('sync_plan_item').where('run_id', '=', runId).execute();
    await saveRun(trx, runId, { status: 'succeeded', plan: { ...plan, phase: 'done' }, finished: true, error: null });
  });
  return changed;
}
