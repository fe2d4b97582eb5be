import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { CALLER_ID_FORMAT } from './caller-id.js';
import { syncedFields, SYNCED_COLUMNS, type EntraUser, type SyncedFields } from './entra.js';
import { droppedOverrides, keepsLocalValue, overridesAfterLocalChange, readOverrides, type Overrides } from './local-overrides.js';
import { createAllocator, NumberBook } from './number-book.js';
import { numberFromProperty } from './numbering.js';
import type { PlanSink, UpdateChanges } from './plan-items.js';
import type { Problem } from './runs.js';
import type { UserSyncSettings } from './settings.js';

type Existing = SyncedFields & { id: string; number: string; entra_object_id: string | null; local_overrides: string | null };

/** Everything the user planner needs for one run: local emails loaded once, numbers looked up per page. */
export interface UserPlanner {
  /** Plans one page of users; returns the problems found. */
  planPage(users: EntraUser[]): Promise<Problem[]>;
  /** Entra ids handled this run (a full run deletes synced extensions not among them). */
  readonly seen: Set<string>;
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

/** Extensions currently linked to Entra users (capacity, deletion guard). */
export async function countSynced(db: Kysely<Database>, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('extension')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('entra_object_id', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type RemovalMode = 'delete' | 'release' | 'disable';

/** Plans the removal of a synced extension by the switch that applies (disabling one already disabled is a no-op). */
export function planRemoval(sink: PlanSink, ext: { id: string; display_name: string; enabled: number }, entraId: string, mode: RemovalMode): void {
  if (mode === 'delete') sink.add({ op: 'delete', extensionId: ext.id, entraId, name: ext.display_name });
  else if (mode === 'release') sink.add({ op: 'release', extensionId: ext.id });
  else if (ext.enabled !== 0) sink.add({ op: 'update', extensionId: ext.id, entraId, changes: { enabled: 0 } });
}

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
  const [localEmails, synced] = await Promise.all([loadLocalEmails(db, tenantId), countSynced(db, tenantId)]);
  const numbers = new NumberBook(db, tenantId);
  let capacityLeft = settings.maxExtensions - synced;
  const seen = new Set<string>();
  /** Users created or linked earlier in this run (delta rounds may list a user twice). */
  const planned = new Map<string, { number: string } | { extensionId: string; localOverrides: string | null }>();
  const numbering = settings.numbering;
  const allocator = numbering.kind === 'auto' ? createAllocator(numbers, numbering.start, numbering.end) : undefined;

  const remove = (existing: Existing, entraId: string, mode: RemovalMode) => planRemoval(sink, existing, entraId, mode);

  function numberFor(user: EntraUser, current: string | undefined): { number?: string; problem?: Problem } {
    if (numbering.kind === 'auto') {
      if (current) return { number: current };
      const number = allocator?.next();
      if (number) return { number };
      return { problem: { objectId: user.id, name: name(user), reason: 'no free extension number in the numbering range', hint: 'Widen numbering.start/end or delete unused extensions.' } };
    }
    const result = numberFromProperty(user, numbering);
    if (!result.ok) return { problem: { objectId: user.id, name: name(user), reason: result.reason, hint: result.hint } };
    const owner = numbers.owner(result.number);
    if (owner !== undefined && owner !== current && result.number !== current) {
      return { problem: { objectId: user.id, name: name(user), reason: `number ${result.number} is already used by another extension`, hint: `Give this user a unique ${numbering.property}.` } };
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

  function planUser(user: EntraUser, existing: Existing | undefined, problems: Problem[]): void {
    seen.add(user.id);
    if (user['@removed']) {
      if (existing) remove(existing, user.id, settings.deleteWhen.deleted ? 'delete' : 'disable');
      return;
    }
    if (!options.inScope(user)) {
      if (existing) remove(existing, user.id, settings.outOfScope);
      return;
    }
    const enabled = user.accountEnabled !== false;
    if (!enabled && settings.deleteWhen.disabled) {
      if (existing) remove(existing, user.id, 'delete');
      return;
    }
    const fields = syncedFields(user, { callerId: settings.businessPhoneAsCallerId, enabled });
    if (settings.businessPhoneAsCallerId && fields.business_phone !== '' && fields.caller_id === '') problems.push(undialablePhone(user));
    if (existing) {
      const overrides = readOverrides(existing.local_overrides);
      const changes: UpdateChanges = changedColumns(existing, fields, settings.businessPhoneAsCallerId, overrides);
      if (numbering.kind === 'property') {
        const { number, problem } = numberFor(user, existing.number);
        if (problem) problems.push({ ...problem, reason: `number kept at ${existing.number}: ${problem.reason}`, partial: true });
        else if (number && number !== existing.number && !keepsLocalValue(overrides, 'number', number)) {
          numbers.free(existing.number);
          numbers.take(number, existing.id);
          changes.number = number;
        }
      }
      Object.assign(changes, droppedOverrides(existing.local_overrides, overrides));
      if (Object.keys(changes).length > 0) sink.add({ op: 'update', extensionId: existing.id, entraId: user.id, changes });
      return;
    }
    const earlier = planned.get(user.id);
    if (earlier && 'extensionId' in earlier) return sink.add({ op: 'link', extensionId: earlier.extensionId, entraId: user.id, fields, localOverrides: earlier.localOverrides });
    if (earlier) return sink.add({ op: 'create', entraId: user.id, number: earlier.number, fields, welcome: false });
    const local = localEmails.get(fields.email);
    if (local && fields.email) {
      if (settings.sameEmail === 'skip') {
        problems.push({ objectId: user.id, name: name(user), reason: `local extension ${local.number} has the same email ${fields.email}`, hint: 'Switch sameEmail to "link" to take it over, or change one of the emails.' });
        return;
      }
      localEmails.delete(fields.email);
      const localOverrides = linkOverrides(user, local.number);
      planned.set(user.id, { extensionId: local.id, localOverrides });
      sink.add({ op: 'link', extensionId: local.id, entraId: user.id, fields, localOverrides });
      return;
    }
    if (capacityLeft <= 0) {
      problems.push({ objectId: user.id, name: name(user), reason: `the extension limit (${settings.maxExtensions}) is reached`, hint: 'Raise maxExtensions or narrow the user scope.' });
      return;
    }
    const { number, problem } = numberFor(user, undefined);
    if (problem || !number) {
      if (problem) problems.push(problem);
      return;
    }
    // The allocator never hands a number out twice; a number read from a property must be marked.
    if (numbering.kind === 'property') numbers.take(number, PLANNED);
    planned.set(user.id, { number });
    capacityLeft--;
    sink.add({ op: 'create', entraId: user.id, number, fields, welcome: settings.welcomeEmail });
  }

  /** Before a page is planned: the numbers it may need (sync planning below does no I/O). */
  async function prepareNumbers(users: EntraUser[], byEntra: Map<string, Existing>): Promise<void> {
    if (allocator) return allocator.reserve(users.filter((u) => !byEntra.has(u.id) && !planned.has(u.id)).length);
    if (numbering.kind !== 'property') return;
    await numbers.load(users.flatMap((u) => {
      const result = numberFromProperty(u, numbering);
      return result.ok ? [result.number] : [];
    }));
  }

  return {
    seen,
    async planPage(users) {
      const problems: Problem[] = [];
      const ids = users.map((u) => u.id);
      const rows =
        ids.length === 0 || !options.linkedBefore
          ? []
          : await db
              .selectFrom('extension')
              .select(['id', 'number', 'entra_object_id', 'local_overrides', ...SYNCED_COLUMNS])
              .where('tenant_id', '=', tenantId)
              .where('entra_object_id', 'in', ids)
              .execute();
      const byEntra = new Map(rows.map((r) => [r.entra_object_id ?? '', r as Existing]));
      await prepareNumbers(users.filter((u) => !u['@removed']), byEntra);
      for (const user of users) planUser(user, byEntra.get(user.id), problems);
      return problems;
    },
  };
}

/** Extensions that must go at the end of a run: synced ones not handled by this run. */
export async function* syncedNotSeen(db: Kysely<Database>, tenantId: string, seen: Set<string>) {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('extension')
      .select(['id', 'entra_object_id', 'display_name', 'enabled'])
      .where('tenant_id', '=', tenantId)
      .where('entra_object_id', 'is not', null)
      .where('entra_object_id', '>', after)
      .orderBy('entra_object_id')
      .limit(2000)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.entra_object_id ?? after;
    yield rows.filter((r) => r.entra_object_id !== null && !seen.has(r.entra_object_id));
  }
}
