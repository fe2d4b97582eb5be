import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isAppError } from '../errors.js';
import type { Problem } from '../directory/index.js';
import type { GraphClient } from '../graph/index.js';
import type { Database } from '../store/index.js';
import { phonebookNameFor, type ContactSyncSettings } from './settings.js';

/** A mailbox to read and the phonebook its contacts go to. */
export interface MailboxTarget {
  kind: 'personal' | 'company';
  mailboxId: string;
  /** Phonebook name. */
  name: string;
  /** Display name of the mailbox (problems). */
  mailboxName: string;
  ownerExtensionId: string | null;
}

const idOnly = z.object({ id: z.string() });

/** Users in the groups, through nested groups (Graph resolves `transitiveMembers`). */
async function groupUsers(graph: GraphClient, groupIds: string[], problems: Problem[]): Promise<Set<string>> {
  const users = new Set<string>();
  for (const groupId of groupIds) {
    try {
      const pages = graph.pages(`/groups/${groupId}/transitiveMembers/microsoft.graph.user`, { item: idOnly, select: ['id'], query: { $top: 999 } });
      for await (const page of pages) for (const u of page) users.add(u.id.toLowerCase());
    } catch (error) {
      // A deleted group scopes nobody in; anything else stops the run rather than dropping phonebooks.
      if (!isAppError(error) || error.code !== 'graph_not_found') throw error;
      problems.push({ objectId: groupId, name: groupId, reason: 'the selected group does not exist in Entra ID', hint: 'Remove it from the contact-sync scope.' });
    }
  }
  return users;
}

/** Synced users (extensions linked to Entra) whose personal contacts are in scope. */
export async function personalTargets(
  db: Kysely<Database>,
  graph: GraphClient,
  tenantId: string,
  settings: ContactSyncSettings,
  problems: Problem[],
): Promise<MailboxTarget[]> {
  if (!settings.personal.enabled) return [];
  const scope = settings.personal.scope;
  const members = scope.kind === 'groups' ? await groupUsers(graph, scope.groupIds, problems) : undefined;
  const synced = await db
    .selectFrom('extension')
    .select(['id', 'entra_object_id', 'display_name', 'number'])
    .where('tenant_id', '=', tenantId)
    .where('entra_object_id', 'is not', null)
    .orderBy('number')
    .execute();
  return synced
    .filter((e) => !members || members.has((e.entra_object_id ?? '').toLowerCase()))
    .map((e) => ({ kind: 'personal', mailboxId: e.entra_object_id ?? '', name: e.display_name, mailboxName: e.display_name, ownerExtensionId: e.id }));
}

export const sharedMailboxView = z.object({
  id: z.string(),
  displayName: z.string(),
  mail: z.string().nullable(),
});
export type SharedMailboxView = z.infer<typeof sharedMailboxView>;

const mailboxUser = z.object({ id: z.string(), displayName: z.string().nullish(), mail: z.string().nullish(), userType: z.string().nullish() });

/**
 * Shared mailboxes as Graph shows them: Graph v1.0 has no "shared" flag (that lives in Exchange),
 * so a shared mailbox is recognised the way Exchange creates one — a member user object with a
 * mail address whose account is disabled (nobody signs in to it). Room and equipment mailboxes and
 * disabled leavers look the same (telling them apart takes MailboxSettings.Read); the docs say to
 * select mailboxes where that matters (docs/connect-a-tenant.md).
 */
export async function listSharedMailboxes(graph: GraphClient): Promise<SharedMailboxView[]> {
  const out: SharedMailboxView[] = [];
  const pages = graph.pages('/users', {
    item: mailboxUser,
    select: ['id', 'displayName', 'mail', 'userType'],
    query: { $filter: 'accountEnabled eq false', $top: 999 },
  });
  for await (const page of pages) {
    for (const u of page) {
      if (!u.mail || (u.userType ?? 'Member') !== 'Member') continue;
      out.push({ id: u.id, displayName: u.displayName ?? u.mail, mail: u.mail });
    }
  }
  return out.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
}

/** A selected mailbox by id (the heuristic of the listing does not apply to an explicit choice). */
async function selectedMailbox(graph: GraphClient, id: string, problems: Problem[]): Promise<SharedMailboxView | undefined> {
  try {
    const u = await graph.request(`/users/${id}`, { schema: mailboxUser, select: ['id', 'displayName', 'mail', 'userType'] });
    return { id: u.id, displayName: u.displayName ?? u.mail ?? u.id, mail: u.mail ?? null };
  } catch (error) {
    if (!isAppError(error) || error.code !== 'graph_not_found') throw error;
    problems.push({ objectId: id, name: id, reason: 'the selected shared mailbox does not exist in Entra ID', hint: 'Remove it from the selection.' });
    return undefined;
  }
}

/** Company phonebook targets: every shared mailbox, or the selected ones (reported when unknown). */
export async function sharedTargets(graph: GraphClient, settings: ContactSyncSettings, problems: Problem[]): Promise<MailboxTarget[]> {
  if (!settings.shared.enabled) return [];
  const selection = settings.shared.mailboxes;
  const chosen: SharedMailboxView[] = [];
  if (selection.kind === 'all') chosen.push(...(await listSharedMailboxes(graph)));
  else {
    for (const id of new Set(selection.mailboxIds.map((m) => m.toLowerCase()))) {
      const mailbox = await selectedMailbox(graph, id, problems);
      if (mailbox) chosen.push(mailbox);
    }
  }
  const several = chosen.length > 1;
  return chosen.map((m) => ({
    kind: 'company',
    mailboxId: m.id,
    name: phonebookNameFor(settings, m.displayName, several),
    mailboxName: m.displayName,
    ownerExtensionId: null,
  }));
}
