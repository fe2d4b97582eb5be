import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { CALLER_ID_FORMAT } from './caller-id.js';
import { syncedFields, SYNCED_COLUMNS, type EntraUser, type SyncedFields } from './entra.js';
import { droppedOverrides, keepsLocalValue, overridesAfterLocalChange, readOverrides, type Overrides } from './local-overrides.js';
import { createAllocator, NumberBook } from './number-book.js';
import { numberFromProperty } from './numbering.js';
import { loadParked, parkingOp } from './parking.js';
import { countSynced } from './synced.js';
import type { PlanOp, PlanSink, UpdateChanges, Wait } from './plan-items.js';
import type { Problem } from './runs.js';
import type { UserSyncSettings } from './settings.js';

type Existing = SyncedFields & { id: string; number: string; entra_object_id: string | null; local_overrides: string | null };
/** A synced extension as its removal needs it. */
type Synced = { id: string; number: string; display_name: string; enabled: number };

/** Everything the user planner needs for one run: local emails loaded once, numbers looked up per page. */
export interface UserPlanner {
  /** Plans one page of users; returns the problems found. */
  planPage(users: EntraUser[]): Promise<Problem[]>;
  /** Entra ids handled this run (a full run deletes synced extensions not among them). */
  readonly seen: Set<string>;
  /** Removes a synced extension whose user the round did not list (its number and slot are free for later users). */
  remove(ext: Synced, entraId: string, mode: RemovalMode): void;
  /** Parked users not listed this round whose number or slot may be there now (parking.ts). */
  dueParked(): Promise<string[]>;
  /** End of a full listing: parked users it did not list are gone or out of scope. */
  unparkUnlisted(): void;
}

export interface UserPlannerOptions {
  db: Kysely<Database>;
  tenantId: string;
  settings: UserSyncSettings;
  sink: PlanSink;
  /** Scope test for a (not removed) user; group-scoped runs pass a membership lookup. */
  inScope: (user: EntraUser) => boolean;
  /** False when no extension was linked to Entra before this run: pages need no lookup. */
  linkedBefore: boolean;
}

/** Owner of a number given to a user planned in this run (one shared marker: 100,000 of them cost nothing). */
const PLANNED = 'planned';

const name = (u: EntraUser) => u.displayName ?? u.userPrincipalName ?? u.id;

/** businessPhoneAsCallerId is on but the business phone is no number a trunk could send: synced without a caller id. */
const undialablePhone = (u: EntraUser): Problem => ({
  objectId: u.id,
  name: name(u),
  reason: `caller id left empty: business phone '${u.businessPhones[0] ?? ''}' is not a phone number`,
  hint: `Write the first business phone of this user in Entra ID as ${CALLER_ID_FORMAT}.`,
  partial: true,
});

/** Local (never synced) extensions by email: candidates for same-email linking. */
async function loadLocalEmails(db: Kysely<Database>, tenantId: string) {
  const rows = await db
    .selectFrom('extension')
    .select(['id', 'number', 'email'])
    .where('tenant_id', '=', tenantId)
    .where('entra_object_id', 'is', null)
    .where('email', '!=', '')
    .execute();
  return new Map(rows.map((r) => [r.email.toLowerCase(), r]));
}

export type RemovalMode = 'delete' | 'release' | 'disable';

/** What one listing of a user plans: a step, and what the user waits for when skipped for want of a number or a slot. */
interface Outcome {
  op?: PlanOp | undefined;
  wait?: Wait | undefined;
}

/**
 * What a user's planned step took from the run's numbers and slots (`slots`: 1 taken, -1 freed),
 * given back when a later listing of the user withdraws the step.
 */
interface Held {
  took?: { number: string; owner: string };
  freed?: { number: string; owner: string };
  slots?: number;
  linked?: { id: string; number: string; email: string };
}

/** What an automatic-numbering create holds (one object for them all: a first population plans many). */
const ONE_SLOT: Held = { slots: 1 };

/**
 * `ownsCallerId`: businessPhoneAsCallerId is on; otherwise the caller id is the admin's and the sync
 * leaves it alone. A column the admin changed keeps its local value until Entra's changes (`overrides`).
 */
function changedColumns(existing: Existing, fields: SyncedFields, ownsCallerId: boolean, overrides: Overrides): Partial<SyncedFields> {
  const changes: Partial<SyncedFields> = {};
  for (const column of SYNCED_COLUMNS) {
    if (column === 'caller_id' && !ownsCallerId) continue;
    if (keepsLocalValue(overrides, column, fields[column])) continue;
    if (existing[column] !== fields[column]) (changes as Record<string, unknown>)[column] = fields[column];
  }
  return changes;
}

export async function createUserPlanner(options: UserPlannerOptions): Promise<UserPlanner> {
  const { db, tenantId, settings, sink } = options;
  const [localEmails, synced, parked] = await Promise.all([loadLocalEmails(db, tenantId), countSynced(db, tenantId), loadParked(db, tenantId)]);
  const numbers = new NumberBook(db, tenantId);
  let capacityLeft = settings.maxExtensions - synced;
  const seen = new Set<string>();
  const holds = new Map<string, Held>();
  const numbering = settings.numbering;
  const allocator = numbering.kind === 'auto' ? createAllocator(numbers, numbering.start, numbering.end) : undefined;

  function numberFor(user: EntraUser, current: string | undefined): { number: string } | { problem: Problem; wait?: Wait } {
    if (numbering.kind === 'auto') {
      const number = current ?? allocator?.next();
      if (number) return { number };
      const problem = { objectId: user.id, name: name(user), reason: 'no free extension number in the numbering range', hint: 'Widen numbering.start/end or delete unused extensions.' };
      return { problem, wait: { waitsFor: 'number', number: null } };
    }
    const result = numberFromProperty(user, numbering);
    if (!result.ok) return { problem: { objectId: user.id, name: name(user), reason: result.reason, hint: result.hint } };
    const owner = numbers.owner(result.number);
    if (owner !== undefined && owner !== current && result.number !== current) {
      const problem = { objectId: user.id, name: name(user), reason: `number ${result.number} is already used by another extension`, hint: `Give this user a unique ${numbering.property}.` };
      return { problem, wait: { waitsFor: 'number', number: result.number } };
    }
    return { number: result.number };
  }

  /**
   * A linked local extension keeps its number (numbers are no synced field). Under property
   * numbering that is a local change over the user's property number: kept until the property
   * changes (local-overrides.ts), rather than renumbered by the next run that lists the user.
   */
  function linkOverrides(user: EntraUser, number: string): string | null {
    if (numbering.kind !== 'property') return null;
    const result = numberFromProperty(user, numbering);
    // As if the number had been changed here from the one Entra gives.
    return result.ok ? overridesAfterLocalChange({ number: result.number, local_overrides: null }, { number }) : null;
  }

  /**
   * Gives back what a withdrawn step held. A freed number given to another user since stays in that
   * user's create, which then finds it taken when applied and parks the user (apply.ts).
   */
  function giveBack(held: Held): void {
    if (held.took && numbers.owner(held.took.number) === held.took.owner) numbers.free(held.took.number);
    if (held.freed) numbers.take(held.freed.number, held.freed.owner);
    capacityLeft += held.slots ?? 0;
    if (held.linked) localEmails.set(held.linked.email.toLowerCase(), held.linked);
  }

  /** A user listed again: the earlier listing's steps go. False when they may be applied already (direct application). */
  function forget(entraId: string): boolean {
    const held = holds.get(entraId);
    holds.delete(entraId);
    const withdrawn = sink.withdraw(entraId);
    if (withdrawn && held) giveBack(held);
    return withdrawn;
  }

  /** Removal by the switch that applies (disabling one already disabled is a no-op); the apply deletes before it creates, in plan order. */
  function removal(ext: Synced, entraId: string, mode: RemovalMode): Outcome {
    if (mode === 'disable') return ext.enabled === 0 ? {} : { op: { op: 'update', extensionId: ext.id, entraId, changes: { enabled: 0 } } };
    capacityLeft++;
    if (mode === 'release') {
      holds.set(entraId, { slots: -1 });
      return { op: { op: 'release', extensionId: ext.id, entraId } };
    }
    numbers.free(ext.number);
    holds.set(entraId, { slots: -1, freed: { number: ext.number, owner: ext.id } });
    return { op: { op: 'delete', extensionId: ext.id, entraId, name: ext.display_name } };
  }

  function update(user: EntraUser, existing: Existing, fields: SyncedFields, problems: Problem[]): PlanOp | undefined {
    const overrides = readOverrides(existing.local_overrides);
    const changes: UpdateChanges = changedColumns(existing, fields, settings.businessPhoneAsCallerId, overrides);
    if (numbering.kind === 'property') {
      const result = numberFor(user, existing.number);
      if ('problem' in result) problems.push({ ...result.problem, reason: `number kept at ${existing.number}: ${result.problem.reason}`, partial: true });
      else if (result.number !== existing.number && !keepsLocalValue(overrides, 'number', result.number)) {
        numbers.free(existing.number);
        numbers.take(result.number, existing.id);
        holds.set(user.id, { took: { number: result.number, owner: existing.id }, freed: { number: existing.number, owner: existing.id } });
        changes.number = result.number;
      }
    }
    Object.assign(changes, droppedOverrides(existing.local_overrides, overrides));
    return Object.keys(changes).length > 0 ? { op: 'update', extensionId: existing.id, entraId: user.id, changes } : undefined;
  }

  function create(user: EntraUser, fields: SyncedFields, problems: Problem[]): Outcome {
    const local = localEmails.get(fields.email);
    if (local && fields.email) {
      if (settings.sameEmail === 'skip') {
        problems.push({ objectId: user.id, name: name(user), reason: `local extension ${local.number} has the same email ${fields.email}`, hint: 'Switch sameEmail to "link" to take it over, or change one of the emails.' });
        return {};
      }
      localEmails.delete(fields.email);
      holds.set(user.id, { linked: local });
      return { op: { op: 'link', extensionId: local.id, entraId: user.id, fields, localOverrides: linkOverrides(user, local.number) } };
    }
    // A property that gives no usable number is for the user to fix: told before the limit, and not parked for a slot.
    const result = capacityLeft > 0 || numbering.kind === 'property' ? numberFor(user, undefined) : undefined;
    if (result && 'problem' in result) {
      problems.push(result.problem);
      return { wait: result.wait };
    }
    if (!result || capacityLeft <= 0) {
      problems.push({ objectId: user.id, name: name(user), reason: `the extension limit (${settings.maxExtensions}) is reached`, hint: 'Raise maxExtensions or narrow the user scope.' });
      return { wait: { waitsFor: 'capacity', number: null } };
    }
    const { number } = result;
    capacityLeft--;
    // The allocator never hands a number out twice; a number read from a property must be marked.
    if (numbering.kind === 'property') numbers.take(number, PLANNED);
    holds.set(user.id, numbering.kind === 'property' ? { slots: 1, took: { number, owner: PLANNED } } : ONE_SLOT);
    return { op: { op: 'create', entraId: user.id, number, fields, welcome: settings.welcomeEmail } };
  }

  function planUser(user: EntraUser, existing: Existing | undefined, problems: Problem[]): Outcome {
    if (user['@removed']) return existing ? removal(existing, user.id, settings.deleteWhen.deleted ? 'delete' : 'disable') : {};
    if (!options.inScope(user)) return existing ? removal(existing, user.id, settings.outOfScope) : {};
    const enabled = user.accountEnabled !== false;
    if (!enabled && settings.deleteWhen.disabled) return existing ? removal(existing, user.id, 'delete') : {};
    const fields = syncedFields(user, { callerId: settings.businessPhoneAsCallerId, enabled });
    if (settings.businessPhoneAsCallerId && fields.business_phone !== '' && fields.caller_id === '') problems.push(undialablePhone(user));
    return existing ? { op: update(user, existing, fields, problems) } : create(user, fields, problems);
  }

  function planListing(user: EntraUser, existing: Existing | undefined, problems: Problem[]): void {
    seen.add(user.id);
    const { op, wait } = planUser(user, existing, problems);
    // Parking first: a create that finds its number taken when applied parks its user again (apply.ts).
    const parking = parkingOp(user.id, parked.get(user.id), wait);
    if (parking) sink.add(parking);
    if (op) sink.add(op);
  }

  /** Before a page is planned: the numbers it may need (sync planning below does no I/O). */
  async function prepareNumbers(users: EntraUser[], byEntra: Map<string, Existing>): Promise<void> {
    if (allocator) {
      await allocator.reserve(users.filter((u) => !byEntra.has(u.id)).length);
      return;
    }
    if (numbering.kind !== 'property') return;
    await numbers.load(users.flatMap((u) => {
      const result = numberFromProperty(u, numbering);
      return result.ok ? [result.number] : [];
    }));
  }

  async function existingRows(ids: string[]): Promise<Map<string, Existing>> {
    const rows =
      ids.length === 0
        ? []
        : await db
            .selectFrom('extension')
            .select(['id', 'number', 'entra_object_id', 'local_overrides', ...SYNCED_COLUMNS])
            .where('tenant_id', '=', tenantId)
            .where('entra_object_id', 'in', ids)
            .execute();
    return new Map(rows.map((r) => [r.entra_object_id ?? '', r as Existing]));
  }

  /** Parked users waiting for a number, and whether it may be had now. */
  async function withNumberFree(waiting: Array<[string, Wait]>): Promise<Array<[string, Wait]>> {
    if (allocator) return waiting.slice(0, await allocator.reserve(waiting.length));
    await numbers.load(waiting.flatMap(([, w]) => w.number ?? []));
    return waiting.filter(([, w]) => w.number === null || numbers.owner(w.number) === undefined);
  }

  return {
    seen,
    async planPage(listed) {
      const problems: Problem[] = [];
      // The last listing of a user in the round decides (delta rounds replay pages).
      const users = [...new Map(listed.map((u) => [u.id, u])).values()];
      const applied = users.filter((u) => seen.has(u.id) && !forget(u.id)).map((u) => u.id);
      // Applied directly by an earlier batch: planned from what that batch wrote, once it is in.
      if (applied.length > 0) await sink.idle();
      const byEntra = await existingRows(options.linkedBefore ? users.map((u) => u.id) : applied);
      await prepareNumbers(users.filter((u) => !u['@removed']), byEntra);
      for (const user of users) planListing(user, byEntra.get(user.id), problems);
      return problems;
    },
    remove(ext, entraId, mode) {
      const { op } = removal(ext, entraId, mode);
      if (op) sink.add(op);
    },
    async dueParked() {
      const waiting = [...parked].filter(([id]) => !seen.has(id));
      const forSlot = waiting.filter(([, w]) => w.waitsFor === 'capacity').slice(0, Math.max(0, capacityLeft));
      return [...forSlot, ...(await withNumberFree(waiting.filter(([, w]) => w.waitsFor === 'number')))].map(([id]) => id);
    },
    unparkUnlisted() {
      for (const id of parked.keys()) if (!seen.has(id)) sink.add({ op: 'unpark', entraId: id });
    },
  };
}
