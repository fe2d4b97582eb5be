import type { Kysely } from 'kysely';
import { isAppError } from '../errors.js';
import type { GraphClient } from '../graph/index.js';
import { nowIso, type Database, type Store } from '../store/index.js';
import { publishEvents } from '../webhooks/index.js';
import { applyFolderPage, removeFolder, removeUnseen, type ContactCounts } from './contact-rows.js';
import { CONTACT_SELECT, folderDeltaPath, listFolders, outlookContact, OUTLOOK_PAGE, type Folder } from './outlook.js';
import type { SkipTally } from './validate.js';

type Db = Kysely<Database>;

export interface MailboxJob {
  db: Db;
  graph: GraphClient;
  tenantId: string;
  phonebookId: string;
  mailboxId: string;
  /** Ignore stored delta links: every folder is read in full. */
  full: boolean;
  /** When the run chose its Graph client: a forgetting since then (forgetContactDeltas) wins over the links it saves. */
  startedAt: string;
  counts: ContactCounts;
  tally: SkipTally;
  /** Contacts read from Graph (progress). */
  onSeen: (n: number) => void;
  /** The mailbox answered (its folders are listed): before anything of it is written. */
  onReadable: () => Promise<void>;
}

async function storedFolders(db: Db, phonebookId: string) {
  const rows = await db.selectFrom('contact_folder').selectAll().where('phonebook_id', '=', phonebookId).execute();
  return new Map(rows.map((r) => [r.folder_id, r]));
}

async function saveFolder(job: MailboxJob, folder: Folder, deltaLink: string | null): Promise<void> {
  const values = { display_name: folder.name, parent_id: folder.parentId, delta_link: deltaLink, updated_at: nowIso() };
  await job.db
    .insertInto('contact_folder')
    .values({ tenant_id: job.tenantId, phonebook_id: job.phonebookId, folder_id: folder.id, ...values })
    .onConflict((oc) => oc.columns(['phonebook_id', 'folder_id']).doUpdateSet(values).where('contact_folder.updated_at', '<=', job.startedAt))
    .execute();
}

/**
 * The tenant's contact delta links are dropped (another tenant, app or Graph endpoint): every
 * folder's next round is a full one. Dated now, so that a run still going on the old connection does
 * not save its links over it (saveFolder).
 */
export async function forgetContactDeltas(store: Store, tenantId: string): Promise<void> {
  await store.db.updateTable('contact_folder').set({ delta_link: null, updated_at: nowIso() }).where('tenant_id', '=', tenantId).execute();
}

/** One delta round of a folder; a full round also removes what it did not list. Returns the next deltaLink. */
async function folderRound(job: MailboxJob, folder: Folder, link: string | undefined): Promise<string | undefined> {
  const seen = link ? undefined : new Set<string>();
  let deltaLink: string | undefined;
  const options = { item: outlookContact, select: CONTACT_SELECT, headers: OUTLOOK_PAGE };
  for await (const page of job.graph.delta(link ?? folderDeltaPath(job.mailboxId, folder.id), options)) {
    job.onSeen(page.items.length);
    for (const c of page.items) if (!c['@removed']) seen?.add(c.id);
    await job.db.transaction().execute(async (trx) => {
      const events = await applyFolderPage(trx, job.tenantId, { phonebookId: job.phonebookId, folderId: folder.id, contacts: page.items }, job.tally, job.counts);
      await publishEvents(trx, job.tenantId, events);
    });
    deltaLink = page.deltaLink ?? deltaLink;
  }
  if (seen) {
    await job.db.transaction().execute(async (trx) => {
      await publishEvents(trx, job.tenantId, await removeUnseen(trx, job.phonebookId, folder.id, seen, job.counts));
    });
  }
  return deltaLink;
}

/** A folder's round from its stored link; an expired link (410 / syncStateNotFound) restarts it in full. */
async function syncFolder(job: MailboxJob, folder: Folder, link: string | undefined): Promise<void> {
  let next: string | undefined;
  try {
    next = await folderRound(job, folder, link);
  } catch (error) {
    if (!link || !isAppError(error) || error.code !== 'graph_delta_expired') throw error;
    next = await folderRound(job, folder, undefined);
  }
  await saveFolder(job, folder, next ?? null);
}

/**
 * Syncs one mailbox into its phonebook: the default Contacts folder and every sub-folder, each
 * with its own delta link; folders that vanished take their contacts with them. Folders are read
 * one after the other: with the one-page read-ahead that keeps a mailbox at ≤ 2 requests in flight,
 * well inside Outlook's 4 (the Graph client enforces that limit per mailbox anyway).
 */
export async function syncMailbox(job: MailboxJob): Promise<void> {
  const stored = await storedFolders(job.db, job.phonebookId);
  const knownRoot = [...stored.values()].find((f) => f.parent_id === null)?.folder_id;
  const folders = await listFolders(job.graph, job.mailboxId, knownRoot);
  await job.onReadable();
  const listed = new Set(folders.map((f) => f.id));
  for (const folderId of stored.keys()) {
    if (listed.has(folderId)) continue;
    await job.db.transaction().execute(async (trx) => {
      await publishEvents(trx, job.tenantId, await removeFolder(trx, job.phonebookId, folderId, job.counts));
    });
  }
  for (const folder of folders) {
    const link = job.full ? undefined : (stored.get(folder.id)?.delta_link ?? undefined);
    await syncFolder(job, folder, link);
  }
}
