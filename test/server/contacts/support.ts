import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { configureContactFollow, waitForContactRun, type ContactView, type PhonebookView } from '../../../server/contacts/index.js';
import type { RunView } from '../../../server/directory/index.js';
import type { EmulatorOptions } from '../../emulator/index.js';
import { saveSettings, startWorld, type World } from '../directory/world.js';

export interface ContactWorld extends World {
  /** Saves contact-sync settings and waits for the run the save started. */
  saveContactSync(body: unknown): Promise<RunView | undefined>;
  /** Sync contacts now and wait for the run. */
  syncContacts(body?: { full?: boolean }): Promise<RunView>;
  phonebooks(query?: string): Promise<PhonebookView[]>;
  contacts(phonebookId: string, q?: string): Promise<ContactView[]>;
  /** A live client session for the user (SSO on, signed in with an ID token of the emulator). */
  signIn(entraObjectId: string): Promise<string>;
  /** GET /api/v1/me/contacts as the signed-in user. */
  myContacts(accessToken: string, q?: string): Promise<{ status: number; items: ContactView[] }>;
}

/** Emulator + server connected, user sync on (all users), contact follow-up runs off. */
export async function startContactWorld(emulator: EmulatorOptions = {}): Promise<ContactWorld> {
  const world = await startWorld({ emulator: { users: 24, seed: 11, sharedMailboxes: 3, ...emulator } });
  configureContactFollow(world.server.store, { pollMs: 0 });
  await world.connect();
  const pages = async <T>(path: string): Promise<T[]> => {
    const all: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: { status: number; body: { items: T[]; nextCursor: string | null } } = await world.json(`${path}${sep}limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      if (page.status !== 200) throw new Error(`${path}: ${page.status} ${JSON.stringify(page.body)}`);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return all;
  };
  const cw = world as ContactWorld;
  cw.saveContactSync = async (body) => {
    const res = await world.server.admin('/api/v1/settings/contact-sync', { method: 'PUT', body });
    if (res.status !== 200) throw new Error(`contact-sync settings not saved: ${res.status} ${await res.text()}`);
    const runId = res.headers.get('x-sync-run-id');
    if (!runId) return undefined;
    await waitForContactRun(world.server.store, runId);
    return world.waitRun(runId);
  };
  cw.syncContacts = async (body) => {
    const res = await world.json<{ id: string }>('/api/v1/contact-sync-runs', { method: 'POST', ...(body ? { body } : {}) });
    if (res.status !== 202) throw new Error(`contact sync not started: ${JSON.stringify(res.body)}`);
    await waitForContactRun(world.server.store, res.body.id);
    return world.waitRun(res.body.id);
  };
  cw.phonebooks = (query = '') => pages<PhonebookView>(`/api/v1/phonebooks${query}`);
  cw.contacts = (phonebookId, q) => pages<ContactView>(`/api/v1/phonebooks/${phonebookId}/contacts${q ? `?q=${encodeURIComponent(q)}` : ''}`);
  cw.signIn = async (oid) => {
    const sso = await world.server.admin('/api/v1/settings/sso', { method: 'PUT', body: { enabled: true } });
    if (sso.status !== 200) throw new Error(`enabling SSO failed: ${await sso.text()}`);
    const key = world.emu.services.keys.active;
    const at = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      aud: world.emu.clientId,
      iss: `${world.emu.authority}/${world.emu.tenantId}/v2.0`,
      tid: world.emu.tenantId,
      oid,
      sub: randomUUID(),
      ver: '2.0',
      iat: at,
      nbf: at,
      exp: at + 3600,
    })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid })
      .sign(key.privateKey);
    const res = await fetch(`${world.server.url}/api/v1/sso/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idToken }) });
    if (res.status !== 201) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  cw.myContacts = async (accessToken, q = '') => {
    const res = await fetch(`${world.server.url}/api/v1/me/contacts?limit=200&q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${accessToken}` } });
    const body = (await res.json()) as { items?: ContactView[] };
    return { status: res.status, items: body.items ?? [] };
  };
  await saveSettings(world, 'user-sync', { enabled: true, scope: { kind: 'all' }, numbering: { kind: 'auto', start: '2000' } });
  return cw;
}

/** An Entra user created in the emulator (empty mailbox) whose extension a user-sync run creates. */
export function createMailboxUser(world: World, name: string, mailbox: { enabled?: boolean } = {}): string {
  return world.emu.ops.createUser({ displayName: name, givenName: name.split(' ')[0] ?? name, surname: name.split(' ')[1] ?? null, userType: 'Member', accountEnabled: true }, mailbox).id;
}

/** Adds a contact folder under `parentId` (the default Contacts folder by default); the emulator has no Graph write for folders. */
export function addFolder(world: World, userId: string, name: string, parentId?: string): string {
  const box = world.emu.state.mailboxes.get(world.emu.ops.user(userId));
  const id = `AAMkFolder${randomUUID().replace(/-/g, '')}`;
  box.folders.set(id, { id, displayName: name, parentFolderId: parentId ?? box.rootFolderId });
  return id;
}

export const problemsOf = (run: RunView, objectId: string) => run.problems.filter((p) => p.objectId === objectId);
