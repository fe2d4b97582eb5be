import { z } from 'zod';
import type { GraphClient } from '../graph/index.js';

/** Outlook pages default to 10 items; contacts are small, so ask for big pages (Graph may send fewer). */
export const OUTLOOK_PAGE = { Prefer: 'odata.maxpagesize=500' } as const;

const str = z.string().nullish();
const phones = z.array(z.string().nullable()).nullish().transform((v) => (v ?? []).filter((p): p is string => !!p));

/** A contact as the contacts delta returns it; deletions come as `{id, @removed}`. */
export const outlookContact = z.object({
  id: z.string(),
  '@removed': z.object({ reason: z.string().optional() }).optional(),
  changeKey: str,
  parentFolderId: str,
  displayName: str,
  givenName: str,
  surname: str,
  companyName: str,
  jobTitle: str,
  mobilePhone: str,
  homePhones: phones,
  businessPhones: phones,
  emailAddresses: z
    .array(z.object({ address: str, name: str }))
    .nullish()
    .transform((v) => v ?? []),
});
export type OutlookContact = z.infer<typeof outlookContact>;

export const CONTACT_SELECT = [
  'id',
  'changeKey',
  'parentFolderId',
  'displayName',
  'givenName',
  'surname',
  'companyName',
  'jobTitle',
  'mobilePhone',
  'homePhones',
  'businessPhones',
  'emailAddresses',
] as const;

const folderSchema = z.object({ id: z.string(), displayName: str, parentFolderId: str });

export interface Folder {
  id: string;
  /** null for the default Contacts folder. */
  parentId: string | null;
  name: string;
}

async function children(graph: GraphClient, mailboxId: string, parentId: string | null): Promise<Folder[]> {
  const path = parentId
    ? `/users/${mailboxId}/contactFolders/${parentId}/childFolders`
    : `/users/${mailboxId}/contactFolders`;
  const out: Folder[] = [];
  for await (const page of graph.pages(path, { item: folderSchema, select: ['id', 'displayName', 'parentFolderId'], headers: OUTLOOK_PAGE })) {
    for (const f of page) out.push({ id: f.id, parentId: parentId ?? f.parentFolderId ?? null, name: f.displayName ?? '' });
  }
  return out;
}

/** The default Contacts folder's id: known from a previous run, the parent of its sub-folders, else of any of its contacts. */
async function rootFolderId(graph: GraphClient, mailboxId: string, top: Folder[], known: string | undefined): Promise<string | undefined> {
  const fromFolders = known ?? top.find((f) => f.parentId)?.parentId;
  if (fromFolders) return fromFolders;
  const page = await graph.request(`/users/${mailboxId}/contacts`, {
    schema: z.object({ value: z.array(z.object({ parentFolderId: str })) }),
    query: { $top: 1, $select: 'parentFolderId' },
  });
  return page.value[0]?.parentFolderId ?? undefined;
}

/**
 * The default Contacts folder and all its sub-folders, recursively (`/contactFolders` lists the
 * first level only). Empty when the mailbox has neither contacts nor folders.
 */
export async function listFolders(graph: GraphClient, mailboxId: string, knownRoot?: string): Promise<Folder[]> {
  const top = await children(graph, mailboxId, null);
  const root = await rootFolderId(graph, mailboxId, top, knownRoot);
  const all: Folder[] = root ? [{ id: root, parentId: null, name: 'Contacts' }] : [];
  let frontier = top.map((f) => ({ ...f, parentId: f.parentId ?? root ?? null }));
  const seen = new Set(all.map((f) => f.id));
  while (frontier.length > 0) {
    const next: Folder[] = [];
    for (const folder of frontier) {
      if (seen.has(folder.id)) continue;
      seen.add(folder.id);
      all.push(folder);
      next.push(...(await children(graph, mailboxId, folder.id)));
    }
    frontier = next;
  }
  return all;
}

/** Path of a folder's first contacts delta round (later rounds use the stored deltaLink). */
export const folderDeltaPath = (mailboxId: string, folderId: string): string =>
  `/users/${mailboxId}/contactFolders/${folderId}/contacts/delta`;
