import type { Router } from '../http/router.js';
import { applyContactFields, newContact } from '../state/contacts.js';
import type { ContactData, Mailbox } from '../state/mailbox.js';
import { decodeToken, encodeToken } from '../util/encoding.js';
import { bodyObject, collection, noContent, ok, type GraphCtx } from './context.js';
import { badRequest, fail } from './errors.js';
import { itemNotFound, outlookPage, resolveMailbox, withEtag } from './outlook.js';
import { preferredPageSize } from './paging.js';
import { PERMS } from './permissions.js';

type P = Record<string, string>;

/** "contacts" is accepted as the well-known name of the default folder. */
function folderId(box: Mailbox, raw: string): string {
  const id = raw.toLowerCase() === 'contacts' ? box.rootFolderId : raw;
  if (id !== box.rootFolderId && !box.folders.has(id)) itemNotFound();
  return id;
}

const contactsIn = (box: Mailbox, folder: string): ContactData[] => [...box.contacts.values()].filter((c) => c.parentFolderId === folder);

function listContacts(ctx: GraphCtx, p: P, folderRaw?: string): ReturnType<typeof collection> {
  const { box } = resolveMailbox(ctx, p.id ?? '', PERMS.contactsRead);
  const folder = folderRaw === undefined ? box.rootFolderId : folderId(box, folderRaw);
  return outlookPage(ctx, contactsIn(box, folder), `users('${p.id ?? ''}')/contacts`, withEtag);
}

function createContact(ctx: GraphCtx, p: P, folderRaw?: string): ReturnType<typeof ok> {
  const { box } = resolveMailbox(ctx, p.id ?? '', PERMS.contactsWrite);
  const folder = folderRaw === undefined ? box.rootFolderId : folderId(box, folderRaw);
  const contact = newContact(folder, bodyObject(ctx), ctx.svc.state.clock.iso());
  ctx.svc.state.mailboxes.upsertContact(box, contact, true);
  return ok(ctx, { '@odata.context': `${ctx.base}/$metadata#users('${p.id ?? ''}')/contacts/$entity`, ...withEtag(contact) }, 201);
}

function findContact(box: Mailbox, id: string): ContactData {
  return box.contacts.get(id) ?? itemNotFound();
}

function listFolders(ctx: GraphCtx, p: P, parentRaw?: string): ReturnType<typeof collection> {
  const { box } = resolveMailbox(ctx, p.id ?? '', PERMS.contactsRead);
  const parent = parentRaw === undefined ? box.rootFolderId : folderId(box, parentRaw);
  const folders = [...box.folders.values()].filter((f) => f.parentFolderId === parent);
  return outlookPage(ctx, folders, `users('${p.id ?? ''}')/contactFolders`, (f) => ({ ...f }));
}

// ---- contacts delta, per folder --------------------------------------------------------------

interface ContactDeltaState {
  u: string;
  f: string;
  g: number;
  s: number;
  /** Initial round: offset into the folder's contacts; changes round: offset into coalesced changes. */
  phase: 'init' | 'chg';
  off: number;
  until: number;
}

/** Outlook answers an unknown/expired sync state with 410 Gone. https://learn.microsoft.com/graph/delta-query-overview */
const syncStateGone = (): never => fail(410, 'SyncStateNotFound', 'The sync state is invalid or has expired. Start a new synchronization without a delta token.');

function contactDelta(ctx: GraphCtx, p: P, folderRaw?: string): ReturnType<typeof collection> {
  const { user, box } = resolveMailbox(ctx, p.id ?? '', PERMS.contactsRead);
  const folder = folderRaw === undefined ? box.rootFolderId : folderId(box, folderRaw);
  const q = ctx.req.query;
  const size = preferredPageSize(ctx.req, 10);
  const raw = q.get('$deltatoken') ?? q.get('$skiptoken');
  let st: ContactDeltaState;
  if (raw === null) st = { u: user.data.id, f: folder, g: box.log.generation, s: box.log.seq, phase: 'init', off: 0, until: box.log.seq };
  else {
    st = decodeToken<ContactDeltaState>(raw) ?? badRequest('Invalid sync token.', 'ErrorInvalidUrlQuery');
    if (st.u !== user.data.id || st.f !== folder) badRequest('The sync token does not belong to this folder.', 'ErrorInvalidUrlQuery');
    if (st.g !== box.log.generation) syncStateGone();
    if (q.has('$deltatoken')) st = { ...st, phase: 'chg', off: 0, until: box.log.seq };
  }
  const all = st.phase === 'init' ? contactsIn(box, folder).map((c) => withEtag(c)) : changedContacts(box, folder, st.s, st.until);
  const page = all.slice(st.off, st.off + size);
  const base = `${ctx.base}/users/${p.id ?? ''}/contactFolders/${folder}/contacts/delta`;
  const done = st.off + size >= all.length;
  const nextState = { ...st, off: st.off + size };
  const links = done ? { delta: `${base}?$deltatoken=${encodeToken({ ...st, s: st.until, phase: 'chg', off: 0 })}` } : { next: `${base}?$skiptoken=${encodeToken(nextState)}` };
  return collection(ctx, `Collection(contact)`, page.map((i) => ({ '@odata.type': '#microsoft.graph.contact', ...i })), links);
}

/** Last state per contact changed in the window: the contact, or a deletion marker. */
function changedContacts(box: Mailbox, folder: string, after: number, until: number): Record<string, unknown>[] {
  const last = new Map<string, 'upsert' | 'delete'>();
  for (const e of box.log.between(after, until)) if (e.folderId === folder) last.set(e.id, e.op);
  return [...last].map(([id, op]) => {
    const c = box.contacts.get(id);
    return op === 'delete' || !c ? { id, '@removed': { reason: 'deleted' } } : withEtag(c);
  });
}

export function registerContacts(r: Router<GraphCtx>): void {
  r.get('/v1.0/users/:id/contacts', (ctx, p) => listContacts(ctx, p));
  r.post('/v1.0/users/:id/contacts', (ctx, p) => createContact(ctx, p));
  r.get('/v1.0/users/:id/contacts/delta', (ctx, p) => contactDelta(ctx, p));
  r.get('/v1.0/users/:id/contacts/:cid', (ctx, p) => {
    const { box } = resolveMailbox(ctx, p.id ?? '', PERMS.contactsRead);
    return ok(ctx, withEtag(findContact(box, p.cid ?? '')));
  });
  r.patch('/v1.0/users/:id/contacts/:cid', (ctx, p) => {
    const { box } = resolveMailbox(ctx, p.id ?? '', PERMS.contactsWrite);
    const c = findContact(box, p.cid ?? '');
    applyContactFields(c, bodyObject(ctx));
    ctx.svc.state.mailboxes.upsertContact(box, c, false);
    return ok(ctx, withEtag(c));
  });
  r.delete('/v1.0/users/:id/contacts/:cid', (ctx, p) => {
    const { box } = resolveMailbox(ctx, p.id ?? '', PERMS.contactsWrite);
    ctx.svc.state.mailboxes.deleteContact(box, findContact(box, p.cid ?? ''));
    return noContent(ctx);
  });
  r.get('/v1.0/users/:id/contactFolders', (ctx, p) => listFolders(ctx, p));
  r.get('/v1.0/users/:id/contactFolders/:fid', (ctx, p) => {
    const { box } = resolveMailbox(ctx, p.id ?? '', PERMS.contactsRead);
    const id = folderId(box, p.fid ?? '');
    return ok(ctx, box.folders.get(id) ?? { id, displayName: 'Contacts', parentFolderId: '' });
  });
  r.get('/v1.0/users/:id/contactFolders/:fid/childFolders', (ctx, p) => listFolders(ctx, p, p.fid));
  r.get('/v1.0/users/:id/contactFolders/:fid/contacts', (ctx, p) => listContacts(ctx, p, p.fid));
  r.post('/v1.0/users/:id/contactFolders/:fid/contacts', (ctx, p) => createContact(ctx, p, p.fid));
  r.get('/v1.0/users/:id/contactFolders/:fid/contacts/delta', (ctx, p) => contactDelta(ctx, p, p.fid));
}
