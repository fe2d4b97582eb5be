import type { Kysely } from 'kysely';
import { addProblems, saveRun, type Counts, type Problem, type Progress } from '../directory/index.js';
import { isAppError } from '../errors.js';
import { mailboxUnreadable, type GraphClient } from '../graph/index.js';
import type { Database, PhonebookTable, Store } from '../store/index.js';
import { publishEvents } from '../webhooks/index.js';
import { syncMailbox } from './mailbox-sync.js';
import { deletePhonebook, ensurePhonebook, syncedPhonebooks, toPhonebookView } from './phonebooks.js';
import { personalTargets, sharedTargets, type MailboxTarget } from './scope.js';
import { getContactSyncSettings } from './settings.js';
import { SkipTally } from './validate.js';

type Db = Kysely<Database>;

export interface RunInput {
  store: Store;
  graph: GraphClient;
  tenantId: string;
  runId: string;
  /** Ignore stored delta links. */
  full: boolean;
  /** When the run chose its Graph client (see MailboxJob). */
  startedAt: string;
  /** Mailboxes read at once (each mailbox reads its folders one after the other). */
  concurrency: number;
  shouldStop: () => boolean;
}

export class ContactRunStopped extends Error {}

/** Errors that concern the whole tenant (credentials, permission, network): the run stops. */
const FATAL = new Set(['graph_auth_failed', 'graph_token_unavailable', 'graph_secret_invalid', 'graph_secret_expired', 'graph_consent_required', 'graph_tenant_not_found', 'graph_client_not_found', 'graph_unreachable', 'integration_not_connected', 'integration_disabled']);

function isFatal(error: unknown): boolean {
  // Not from Graph (e.g. the owner's extension was deleted by a directory run meanwhile): this mailbox only.
  if (!isAppError(error)) return false;
  if (FATAL.has(error.code)) return true;
  // 403 without ErrorAccessDenied is a missing application permission (Contacts.Read), not one mailbox.
  return error.code === 'graph_permission_missing' && mailboxUnreadable(error) === undefined;
}

interface RunState {
  counts: Counts;
  progress: Progress;
  problems: Problem[];
}

/** Phonebooks whose mailbox is no longer in scope (user left the scope, mailbox deselected) go. */
async function removeOutOfScope(db: Db, tenantId: string, targets: MailboxTarget[], state: RunState): Promise<void> {
  const wanted = new Set(targets.map((t) => `${t.kind}:${t.mailboxId.toLowerCase()}`));
  for (const kind of ['personal', 'company'] as const) {
    for (const [mailboxId, row] of await syncedPhonebooks(db, tenantId, kind)) {
      if (!wanted.has(`${kind}:${mailboxId}`)) await dropPhonebook(db, tenantId, row, state);
    }
  }
}

/** A phonebook goes with its contacts (counted as deleted), and the PBX is told in the same transaction. */
async function dropPhonebook(db: Db, tenantId: string, row: Pick<PhonebookTable, 'id' | 'kind' | 'name'>, state: RunState): Promise<void> {
  await db.transaction().execute(async (trx) => {
    state.counts.deleted += await deletePhonebook(trx, tenantId, row.id);
    await publishEvents(trx, tenantId, [{ type: 'phonebook.deleted', data: { id: row.id, kind: row.kind, name: row.name } }]);
  });
}

async function syncTarget(input: RunInput, target: MailboxTarget, existing: Map<string, PhonebookTable>, state: RunState): Promise<void> {
  const db = input.store.db;
  const ensured = await ensurePhonebook(db, input.tenantId, target, existing.get(target.mailboxId.toLowerCase()));
  const phonebook = ensured.row;
  // Announced once the mailbox answers: a user without one (most guests) gets no phonebook, and the PBX hears of none.
  let announced = false;
  const announce = async () => {
    announced = true;
    if (ensured.change) await publishEvents(db, input.tenantId, [{ type: `phonebook.${ensured.change}`, data: toPhonebookView(phonebook, 0) }]);
  };
  const tally = new SkipTally();
  try {
    await syncMailbox({
      db,
      graph: input.graph,
      tenantId: input.tenantId,
      phonebookId: phonebook.id,
      mailboxId: target.mailboxId,
      full: input.full,
      startedAt: input.startedAt,
      counts: state.counts,
      tally,
      onSeen: (n) => (state.progress.seen += n),
      onReadable: announce,
    });
  } catch (error) {
    if (isFatal(error)) throw error;
    const reason = mailboxUnreadable(error);
    // A phonebook only just created for an unreadable mailbox is not left behind empty (and goes quietly
    // if it was never announced). One whose mailbox went away (its licence removed) goes with its
    // contacts, and the PBX is told.
    const created = ensured.change === 'created';
    if (reason && created && !announced) await deletePhonebook(db, input.tenantId, phonebook.id);
    else if (reason === 'no_mailbox' || (reason && created)) await dropPhonebook(db, input.tenantId, phonebook, state);
    if (reason === 'no_mailbox') return;
    state.counts.failed++;
    state.problems.push({
      objectId: target.mailboxId,
      name: target.mailboxName,
      reason:
        reason === 'access_denied'
          ? 'Exchange denied access to this mailbox (ErrorAccessDenied: an application access policy or RBAC for applications excludes it)'
          : `the mailbox could not be read: ${(error as Error).message}`,
      hint:
        reason === 'access_denied'
          ? 'Add the mailbox to the application access policy of this app in Exchange Online, or remove it from contact sync.'
          : 'The next run tries again.',
    });
  }
  if (tally.total > 0) {
    state.problems.push({
      objectId: target.mailboxId,
      name: target.mailboxName,
      reason: tally.describe(),
      hint: 'A contact needs a first or last name and a mobile, home or business phone number; fix it in Outlook and it syncs on the next run.',
    });
  }
}

async function checkpoint(input: RunInput, state: RunState): Promise<void> {
  const problems = state.problems.splice(0);
  if (problems.length > 0) await addProblems(input.store.db, input.tenantId, input.runId, problems);
  await saveRun(input.store.db, input.runId, { progress: state.progress, counts: state.counts });
}

/**
 * A contact-sync run: works out which mailboxes are in scope, drops the phonebooks of those that
 * left it, then syncs the rest, `concurrency` mailboxes at a time. One mailbox failing (access
 * denied, throttled to exhaustion) is reported and does not stop the others.
 */
export async function executeContactRun(input: RunInput, counts: Counts): Promise<void> {
  const db = input.store.db;
  const settings = await getContactSyncSettings(input.store, input.tenantId);
  const state: RunState = { counts, progress: { seen: 0, planned: 0, applied: 0 }, problems: [] };
  const targets = [
    ...(await personalTargets(db, input.graph, input.tenantId, settings, state.problems)),
    ...(await sharedTargets(input.graph, settings, state.problems)),
  ];
  await removeOutOfScope(db, input.tenantId, targets, state);
  state.progress.planned = targets.length;
  await checkpoint(input, state);
  const personal = await syncedPhonebooks(db, input.tenantId, 'personal');
  const company = await syncedPhonebooks(db, input.tenantId, 'company');
  let next = 0;
  let aborted = false;
  const worker = async () => {
    for (let i = next++; i < targets.length && !aborted; i = next++) {
      if (input.shouldStop()) throw new ContactRunStopped();
      const target = targets[i];
      if (!target) continue;
      await syncTarget(input, target, target.kind === 'personal' ? personal : company, state);
      state.progress.applied++;
      await checkpoint(input, state);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(input.concurrency, targets.length)) }, () =>
    worker().catch((error: unknown) => {
      aborted = true;
      throw error;
    }),
  );
  const results = await Promise.allSettled(workers);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  await checkpoint(input, state);
}
