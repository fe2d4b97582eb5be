import type { Transaction } from 'kysely';
import { insertIgnoringConflicts, newId, nowIso, type Database } from '../store/index.js';
import { LOCKED } from './entra.js';
import { recordCascade, touch, type ChangeLog } from './events.js';
import { applyParking, parkUsers } from './parking.js';
import { readPlanItems, type PlanOp, type Wait } from './plan-items.js';
import type { Counts, Problem } from './runs.js';

type Trx = Transaction<Database>;
type CreateOp = Extract<PlanOp, { op: 'create' }>;
type UpdateOp = Extract<PlanOp, { op: 'update' }>;

export interface ApplyContext {
  tenantId: string;
  entraTenantId: string;
  counts: Counts;
  /** Extensions created in this chunk that asked for a welcome email. */
  welcome: Array<{ extensionId: string; number: string; email: string; name: string }>;
  problems: Problem[];
  /** Becomes webhook events (and SSO revocations) for this chunk. */
  changes: ChangeLog;
}

/** Creates, in bulk; a row that hits a number taken meanwhile is reported, not fatal. */
async function applyCreates(trx: Trx, ctx: ApplyContext, ops: CreateOp[]): Promise<void> {
  const now = nowIso();
  const rows = ops.map((op) => ({
    id: newId(),
    tenant_id: ctx.tenantId,
    number: op.number,
    // Before the fields, which name it unless planned by an earlier version.
    locked_fields: LOCKED,
    ...op.fields,
    avatar: null,
    source: 'entra',
    entra_object_id: op.entraId,
    entra_tenant_id: ctx.entraTenantId,
    read_only: 0 as const,
    created_at: now,
    updated_at: now,
  }));
  const inserted = await insertIgnoringConflicts(trx, 'extension', rows, 'entra_object_id');
  const taken: Array<{ entraId: string } & Wait> = [];
  for (const [i, op] of ops.entries()) {
    const row = rows[i];
    if (inserted.has(op.entraId) && row) {
      ctx.counts.created++;
      touch(ctx.changes.extensions, row.id, 'created');
      if (op.welcome && op.fields.email) ctx.welcome.push({ extensionId: row.id, number: op.number, email: op.fields.email, name: op.fields.display_name });
      continue;
    }
    const mine = await trx.selectFrom('extension').select('id').where('tenant_id', '=', ctx.tenantId).where('entra_object_id', '=', op.entraId).executeTakeFirst();
    if (mine) {
      await trx.updateTable('extension').set({ ...op.fields, updated_at: now }).where('id', '=', mine.id).execute();
      touch(ctx.changes.extensions, mine.id, 'updated');
    }
    else {
      ctx.counts.failed++;
      taken.push({ entraId: op.entraId, waitsFor: 'number', number: op.number });
      ctx.problems.push({ objectId: op.entraId, name: op.fields.display_name, reason: `number ${op.number} was taken while the sync ran`, hint: 'A later sync tries again once the number is free (automatic numbering: with another number).' });
    }
  }
  // Delta rounds would not list the user again: parked, later runs look the user up.
  await parkUsers(trx, ctx.tenantId, taken);
}

/**
 * An update's changes without a number another extension took after the plan was made (a run held
 * for an admin): the extension keeps its number and the user is reported, as a create would be.
 */
async function numberStillFree(trx: Trx, ctx: ApplyContext, op: UpdateOp): Promise<UpdateOp['changes']> {
  const { number, ...others } = op.changes;
  if (number === undefined) return op.changes;
  const ext = () => trx.selectFrom('extension').select(['number', 'display_name']).where('tenant_id', '=', ctx.tenantId);
  if (!(await ext().where('number', '=', number).where('id', '!=', op.extensionId).executeTakeFirst())) return op.changes;
  const own = await ext().where('id', '=', op.extensionId).where('entra_object_id', '=', op.entraId).executeTakeFirst();
  if (own) {
    const reason = `number kept at ${own.number}: number ${number} was taken while the sync ran`;
    ctx.problems.push({ objectId: op.entraId, name: own.display_name, reason, hint: 'Free that number, or give this user another one in Entra ID.', partial: true });
  }
  return others;
}

/** Steps applied one by one (creates go in bulk, parking in applyParking). */
type SingleOp = Exclude<PlanOp, CreateOp | { op: 'park' | 'unpark' | 'withdrawn' }>;

async function applyOne(trx: Trx, ctx: ApplyContext, op: SingleOp): Promise<void> {
  const now = nowIso();
  const ext = (id: string) => trx.updateTable('extension').where('tenant_id', '=', ctx.tenantId).where('id', '=', id);
  const grp = (id: string) => trx.updateTable('extension_group').where('tenant_id', '=', ctx.tenantId).where('id', '=', id);
  let changed = 0n;
  switch (op.op) {
    case 'update': {
      const changes = await numberStillFree(trx, ctx, op);
      if (Object.keys(changes).length === 0) return;
      changed = (await ext(op.extensionId).set({ ...changes, updated_at: now }).where('entra_object_id', '=', op.entraId).executeTakeFirst()).numUpdatedRows;
      if (changed > 0n && changes.enabled === 0) ctx.changes.revoke.push(op.extensionId);
      break;
    }
    case 'link':
      changed = (
        await ext(op.extensionId)
          .set({ locked_fields: LOCKED, ...op.fields, local_overrides: op.localOverrides ?? null, source: 'entra', entra_object_id: op.entraId, entra_tenant_id: ctx.entraTenantId, read_only: 0, updated_at: now })
          .where((eb) => eb.or([eb('entra_object_id', 'is', null), eb('entra_object_id', '=', op.entraId)]))
          .executeTakeFirst()
      ).numUpdatedRows;
      break;
    case 'release':
      changed = (await ext(op.extensionId).set({ source: 'local', entra_object_id: null, entra_tenant_id: null, locked_fields: '[]', local_overrides: null, read_only: 0, updated_at: now }).executeTakeFirst()).numUpdatedRows;
      if (changed > 0n) ctx.changes.revoke.push(op.extensionId);
      break;
    case 'delete': {
      const gone = await trx
        .deleteFrom('extension')
        .where('tenant_id', '=', ctx.tenantId)
        .where('id', '=', op.extensionId)
        .where('entra_object_id', '=', op.entraId)
        .returning(['id', 'number', 'entra_object_id'])
        .executeTakeFirst();
      if (!gone) return;
      ctx.counts.deleted++;
      ctx.changes.deletedExtensions.push({ id: gone.id, number: gone.number, entraObjectId: gone.entra_object_id });
      ctx.changes.revoke.push(gone.id);
      return;
    }
    case 'group-create': {
      const result = await trx
        .insertInto('extension_group')
        .values({ id: newId(), tenant_id: ctx.tenantId, name: op.name, source: 'entra', entra_object_id: op.entraId, read_only: 0, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['tenant_id', 'entra_object_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!result) return;
      ctx.counts.created++;
      touch(ctx.changes.groups, result.id, 'created');
      return;
    }
    case 'group-update':
      changed = (await grp(op.groupId).set({ name: op.name, updated_at: now }).executeTakeFirst()).numUpdatedRows;
      break;
    case 'group-release':
      changed = (await grp(op.groupId).set({ source: 'local', entra_object_id: null, read_only: 0, updated_at: now }).executeTakeFirst()).numUpdatedRows;
      break;
    case 'group-delete': {
      const result = await trx.deleteFrom('extension_group').where('tenant_id', '=', ctx.tenantId).where('id', '=', op.groupId).executeTakeFirst();
      if (result.numDeletedRows === 0n) return;
      ctx.counts.deleted++;
      ctx.changes.deletedGroups.push(op.groupId);
      return;
    }
  }
  if (changed === 0n) return;
  ctx.counts.updated++;
  if ('groupId' in op) touch(ctx.changes.groups, op.groupId, 'updated');
  else touch(ctx.changes.extensions, op.extensionId, 'updated');
}

/** Applies plan items in order; consecutive creates go in one multi-row insert. */
export async function applyOps(trx: Trx, ctx: ApplyContext, ops: PlanOp[]): Promise<void> {
  // Before any delete: what the chunk's deletes take along (phonebooks, group members), in one batched read.
  await recordCascade(trx, ctx.tenantId, ops.flatMap((op) => (op.op === 'delete' ? [op.extensionId] : [])), ctx.changes);
  // Before the creates: one whose number is taken by now parks its user again, over an unpark planned with it.
  await applyParking(trx, ctx.tenantId, ops);
  let creates: CreateOp[] = [];
  for (const op of ops) {
    if (op.op === 'park' || op.op === 'unpark' || op.op === 'withdrawn') continue;
    if (op.op === 'create') {
      creates.push(op);
      continue;
    }
    if (creates.length > 0) await applyCreates(trx, ctx, creates);
    creates = [];
    await applyOne(trx, ctx, op);
  }
  if (creates.length > 0) await applyCreates(trx, ctx, creates);
}

export { readPlanItems };
