import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
const get = async (path: string, headers: Record<string, string> = {}): Promise<Page> => (await (await emu.graphFetch(path, { headers })).json()) as Page;
const code = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;
const rel = (link: string | undefined): string => (link ?? '').replace(`${emu.graph}/v1.0`, '');

beforeAll(async () => {
  emu = await startTestEmulator({ users: 300, seed: 11 });
});
afterAll(async () => emu.close());

describe('contacts', () => {
  const shared = (): string => emu.state.directory.users.find((u) => u.mailbox.shared)?.data.id ?? '';

  it('shared mailboxes are disabled user objects with contacts, paged 10 at a time', async () => {
    const mb = emu.state.directory.findUser(shared());
    expect(mb?.data.accountEnabled).toBe(false);
    const total = emu.ops.listContacts(shared()).filter((c) => c.parentFolderId === emu.state.mailboxes.get(mb!).rootFolderId).length;
    const first = await get(`/users/${shared()}/contacts`);
    expect(first.value).toHaveLength(10);
    expect(first['@odata.nextLink']).toContain('$skip=10');
    let n = first.value.length;
    for (let link = first['@odata.nextLink']; link; ) {
      const page = await get(rel(link));
      n += page.value.length;
      link = page['@odata.nextLink'];
    }
    expect(n).toBe(total);
    const big = await get(`/users/${shared()}/contacts`, { prefer: 'odata.maxpagesize=100' });
    expect(big.value).toHaveLength(total);
    expect(big.value[0]).toHaveProperty('@odata.etag');
  });

  it('folders, child folders and per-folder contacts delta with deletions', async () => {
    const folders = await get(`/users/${shared()}/contactFolders`);
    expect(folders.value.map((f) => f.displayName)).toEqual(['Partners', 'Suppliers']);
    const folderId = String(folders.value[0]?.id);
    await get(`/users/${shared()}/contactFolders/${folderId}/childFolders`);
    const initial = await get(`/users/${shared()}/contactFolders/${folderId}/contacts/delta`, { prefer: 'odata.maxpagesize=200' });
    expect(initial['@odata.deltaLink']).toBeTruthy();
    const created = emu.ops.createContact(shared(), { givenName: 'Delta', surname: 'Person', mobilePhone: '+49 170 1234567' }, folderId);
    const victim = initial.value[0]?.id as string | undefined;
    if (victim) emu.ops.deleteContact(shared(), victim);
    const round = await get(rel(initial['@odata.deltaLink']));
    expect(round.value.find((c) => c.id === created.id)).toMatchObject({ givenName: 'Delta', mobilePhone: '+49 170 1234567' });
    if (victim) expect(round.value.find((c) => c.id === victim)).toEqual({ '@odata.type': '#microsoft.graph.contact', id: victim, '@removed': { reason: 'deleted' } });
    emu.ops.expireDeltaTokens();
    const gone = await emu.graphFetch(rel(round['@odata.deltaLink']));
    expect(gone.status).toBe(410);
  });

  it('admin app writes contacts through Graph; the read app may not', async () => {
    const user = emu.state.directory.users.find((u) => u.mailbox.enabled && !u.mailbox.shared && u.data.accountEnabled)?.data.id ?? '';
    const denied = await emu.graphFetch(`/users/${user}/contacts`, { method: 'POST', body: { givenName: 'X' } });
    expect(denied.status).toBe(403);
    expect(await code(denied)).toBe('ErrorAccessDenied');
    const made = await emu.graphFetch(`/users/${user}/contacts`, { method: 'POST', admin: true, body: { givenName: 'Ada', surname: 'Lovelace', businessPhones: ['+44 20 1234'] } });
    expect(made.status).toBe(201);
    const c = (await made.json()) as { id: string; displayName: string };
    expect(c.displayName).toBe('Ada Lovelace');
    expect((await emu.graphFetch(`/users/${user}/contacts/${c.id}`, { method: 'DELETE', admin: true })).status).toBe(204);
  });

  it('mailbox-less guests → 404 MailboxNotEnabledForRESTAPI; access policy → 403 ErrorAccessDenied', async () => {
    const guest = emu.state.directory.users.find((u) => !u.mailbox.enabled)?.data.id ?? '';
    const res = await emu.graphFetch(`/users/${guest}/contacts`);
    expect(res.status).toBe(404);
    expect(await code(res)).toBe('MailboxNotEnabledForRESTAPI');
    await emu.controlApi(`/users/${shared()}/mailbox`, { method: 'PATCH', body: { accessDenied: true } });
    const denied = await emu.graphFetch(`/users/${shared()}/contacts`);
    expect(denied.status).toBe(403);
    expect(await code(denied)).toBe('ErrorAccessDenied');
    emu.ops.setMailbox(shared(), { accessDenied: false });
  });
});

describe('calendar and photos', () => {
  const withEvents = (): { id: string; mail: string } => {
    const u = emu.state.directory.users.find((x) => x.mailbox.enabled && !x.mailbox.shared && emu.state.mailboxes.get(x).events.size > 0);
    return { id: u?.data.id ?? '', mail: u?.data.mail ?? '' };
  };

  it('calendarView requires a window and returns showAs; getSchedule builds availabilityView', async () => {
    const { id, mail } = withEvents();
    expect((await emu.graphFetch(`/users/${id}/calendarView`)).status).toBe(400);
    const now = Date.now();
    const start = new Date(now - 2 * 86_400_000).toISOString();
    const end = new Date(now + 7 * 86_400_000).toISOString();
    const view = await get(`/users/${id}/calendarView?startDateTime=${start}&endDateTime=${end}`, { prefer: 'odata.maxpagesize=50' });
    expect(view.value.length).toBeGreaterThan(0);
    expect(['free', 'tentative', 'busy', 'oof', 'workingElsewhere']).toContain(view.value[0]?.showAs);
    const sched = await emu.graphFetch(`/users/${id}/calendar/getSchedule`, {
      method: 'POST',
      body: { schedules: [mail, 'nobody@nowhere.example'], startTime: { dateTime: start, timeZone: 'UTC' }, endTime: { dateTime: end, timeZone: 'UTC' }, availabilityViewInterval: 60 },
    });
    const body = (await sched.json()) as { value: { scheduleId: string; availabilityView?: string; error?: { responseCode: string } }[] };
    expect(body.value[0]?.availabilityView).toMatch(/^[0-4]{216}$/);
    expect(body.value[0]?.availabilityView).toMatch(/[1-4]/);
    expect(body.value[1]?.error?.responseCode).toBe('ErrorMailRecipientNotFound');
  });

  it('photo/$value is a PNG with an ETag; users without one get 404 ImageNotFound', async () => {
    const withPhoto = emu.state.directory.users.find((u) => u.hasPhoto)?.data.id ?? '';
    const res = await emu.graphFetch(`/users/${withPhoto}/photo/$value`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('etag')).toBeTruthy();
    expect(Buffer.from(await res.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    const none = emu.state.directory.users.find((u) => !u.hasPhoto)?.data.id ?? '';
    const missing = await emu.graphFetch(`/users/${none}/photo/$value`);
    expect(missing.status).toBe(404);
    expect(await code(missing)).toBe('ImageNotFound');
  });
});

describe('presence', () => {
  it('reads one user, many users (≤ 650 ids), and control API changes', async () => {
    const ids = emu.state.directory.users.slice(0, 5).map((u) => u.data.id);
    const target = ids[0] ?? '';
    await emu.controlApi('/presence', { body: { userId: target, availability: 'Busy', activity: 'InACall' } });
    const one = (await (await emu.graphFetch(`/users/${target}/presence`)).json()) as { availability: string; activity: string };
    expect(one).toMatchObject({ availability: 'Busy', activity: 'InACall' });
    const many = (await (await emu.graphFetch('/communications/getPresencesByUserId', { method: 'POST', body: { ids } })).json()) as { value: { id: string }[] };
    expect(many.value.map((p) => p.id)).toEqual(ids);
    const tooMany = await emu.graphFetch('/communications/getPresencesByUserId', { method: 'POST', body: { ids: Array.from({ length: 651 }, () => target) } });
    expect(tooMany.status).toBe(400);
  });

  it('setPresence sessions aggregate (DoNotDisturb > Busy > Available > Away), decay and expire', async () => {
    const user = emu.state.directory.users[7]?.data.id ?? '';
    emu.ops.setPresence(user, { availability: 'Offline', activity: 'Offline' });
    const presence = async (): Promise<string> => ((await (await emu.graphFetch(`/users/${user}/presence`)).json()) as { availability: string; activity: string }).availability;
    const set = (availability: string, activity: string, sessionId = emu.clientId): Promise<Response> =>
      emu.graphFetch(`/users/${user}/presence/setPresence`, { method: 'POST', body: { sessionId, availability, activity, expirationDuration: 'PT1H' } });
    expect((await set('Available', 'Available')).status).toBe(200);
    expect(await presence()).toBe('Available');
    expect((await set('Busy', 'Busy')).status).toBe(400); // not an allowed pair
    expect((await set('Busy', 'InACall', '00000000-0000-0000-0000-000000000000')).status).toBe(400); // sessionId must be the app id
    emu.ops.advanceClock(6 * 60_000);
    expect(await presence()).toBe('AvailableIdle');
    emu.ops.advanceClock(5 * 60_000);
    expect(await presence()).toBe('Away');
    await emu.graphFetch(`/users/${user}/presence/setPresence`, { method: 'POST', admin: true, body: { sessionId: emu.adminClientId, availability: 'DoNotDisturb', activity: 'Presenting', expirationDuration: 'PT5M' } });
    expect(await presence()).toBe('DoNotDisturb');
    emu.ops.advanceClock(6 * 60_000);
    expect(await presence()).toBe('Away');
    await emu.graphFetch(`/users/${user}/presence/clearPresence`, { method: 'POST', body: { sessionId: emu.clientId } });
    expect(await presence()).toBe('Offline');
    emu.ops.resetAll();
  });
});
