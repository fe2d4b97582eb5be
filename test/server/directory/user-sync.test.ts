import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExtensionView, UserSyncSettings } from '../../../server/directory/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { testDialect } from '../../support/store.js';
import { saveSettings, startWorld, type World } from './world.js';

let world: World;
let smtp: SMTPServer;
const mails: Array<{ to: string; body: string }> = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let body = '';
      stream.on('data', (c: Buffer) => (body += c.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), body });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const port = (smtp.server.address() as AddressInfo).port;
  world = await startWorld({ server: { smtpUrl: `smtp://127.0.0.1:${port}` } });
  await world.connect();
});

afterAll(async () => {
  await world.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const liveUsers = () => world.emu.state.directory.users.filter((u) => u.deletedAt === null);

describe('user sync', () => {
  it('runs the initial sync on the first save: one extension per enabled user, with welcome emails', async () => {
    const run = await saveSettings(world, 'user-sync', { enabled: true, welcomeEmail: true, numbering: { kind: 'auto', start: '2000' } });
    expect(run).toMatchObject({ trigger: 'initial', status: 'succeeded' });
    const enabled = liveUsers().filter((u) => u.data.accountEnabled);
    const extensions = await world.byEntra();
    expect(extensions.size).toBe(enabled.length);
    expect(run?.counts.created).toBe(enabled.length);
    const user = enabled[1]?.data;
    const ext = extensions.get(user?.id ?? '');
    expect(ext).toMatchObject({
      firstName: user?.givenName ?? '',
      lastName: user?.surname ?? '',
      email: (user?.mail ?? user?.userPrincipalName ?? '').toLowerCase(),
      jobTitle: user?.jobTitle ?? '',
      source: 'entra',
      enabled: true,
    });
    const numbers = [...extensions.values()].map((e) => Number(e.number)).sort((a, b) => a - b);
    expect(numbers[0]).toBe(2000);
    expect(new Set(numbers).size).toBe(numbers.length);
    await expect.poll(() => mails.length).toBeGreaterThanOrEqual(enabled.filter((u) => u.data.mail ?? u.data.userPrincipalName).length);
    expect(mails.some((m) => m.to === ext?.email && /extension is \d+/.test(m.body))).toBe(true);
  });

  it.runIf(testDialect() === 'postgres')('has PostgreSQL analyse the tables a first population loaded', async () => {
    // reltuples is -1 until a table is first analysed.
    const row = await sql<{ reltuples: number }>`select reltuples from pg_class where oid = 'extension'::regclass`.execute(world.server.store.db);
    expect(Number(row.rows[0]?.reltuples)).toBe((await world.byEntra()).size);
  });

  it('links by object id: a renamed user keeps its extension and number', async () => {
    const user = liveUsers().find((u) => u.data.accountEnabled)!.data;
    const before = (await world.byEntra()).get(user.id)!;
    world.emu.ops.updateUser(user.id, { displayName: 'Renamed Person', givenName: 'Renamed', mail: 'renamed@contoso.example', userPrincipalName: 'renamed@contoso.example' });
    const run = await world.sync();
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ created: 0, updated: 1, deleted: 0 });
    const after = (await world.byEntra()).get(user.id)!;
    expect(after).toMatchObject({ id: before.id, number: before.number, displayName: 'Renamed Person', firstName: 'Renamed', email: 'renamed@contoso.example' });
  });

  it('deletes the extension of a disabled user and brings it back when re-enabled', async () => {
    const user = liveUsers().find((u) => u.data.accountEnabled && u.data.userType === 'Member')!.data;
    world.emu.ops.updateUser(user.id, { accountEnabled: false });
    expect((await world.sync()).counts.deleted).toBe(1);
    expect((await world.byEntra()).has(user.id)).toBe(false);
    world.emu.ops.updateUser(user.id, { accountEnabled: true });
    expect((await world.sync()).counts.created).toBe(1);
    expect((await world.byEntra()).get(user.id)?.enabled).toBe(true);
  });

  it('keeps a disabled user as a disabled extension when deleteWhen.disabled is off', async () => {
    await saveSettings(world, 'user-sync', { enabled: true, numbering: { kind: 'auto', start: '2000' }, deleteWhen: { disabled: false, deleted: true } });
    const user = liveUsers().find((u) => u.data.accountEnabled && u.data.userType === 'Member')!.data;
    world.emu.ops.updateUser(user.id, { accountEnabled: false });
    const run = await world.sync();
    expect(run.counts.deleted).toBe(0);
    expect((await world.byEntra()).get(user.id)?.enabled).toBe(false);
    world.emu.ops.updateUser(user.id, { accountEnabled: true });
    await world.sync();
    expect((await world.byEntra()).get(user.id)?.enabled).toBe(true);
  });

  it('deletes the extension of a deleted user', async () => {
    const user = liveUsers().find((u) => u.data.accountEnabled)!.data;
    world.emu.ops.deleteUser(user.id);
    const run = await world.sync();
    expect(run.counts.deleted).toBe(1);
    expect((await world.byEntra()).has(user.id)).toBe(false);
  });

  it('protects synced extensions: locked fields and deletion answer specific errors', async () => {
    const ext = [...(await world.byEntra()).values()][0] as ExtensionView;
    const locked = await world.json<{ error: { code: string } }>(`/api/v1/extensions/${ext.id}`, { method: 'PATCH', body: { firstName: 'Local' } });
    expect(locked.status).toBe(409);
    expect(locked.body.error.code).toBe('extension_field_locked');
    const free = await world.json<ExtensionView>(`/api/v1/extensions/${ext.id}`, { method: 'PATCH', body: { department: 'Local dept' } });
    expect(free.status).toBe(200);
    expect(free.body.department).toBe('Local dept');
    const del = await world.json<{ error: { code: string } }>(`/api/v1/extensions/${ext.id}`, { method: 'DELETE' });
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('extension_synced');
  });

  it('re-plans from a full round when the delta token expired, without deleting anything', async () => {
    const before = await world.byEntra();
    for (const status of [410, 400] as const) {
      world.emu.ops.expireDeltaTokens({ status });
      const run = await world.sync();
      expect(run.status).toBe('succeeded');
      expect(run.counts.deleted).toBe(0);
      expect([...(await world.byEntra()).keys()].sort()).toEqual([...before.keys()].sort());
    }
  });

  it('an incremental run after no change changes nothing and reads only the delta', async () => {
    world.emu.ops.clearRequests();
    const run = await world.sync();
    expect(run.counts).toEqual({ created: 0, updated: 0, deleted: 0, skipped: 0, failed: 0 });
    const graphCalls = world.emu.ops.requests().filter((r) => r.path.startsWith('/v1.0/'));
    expect(graphCalls.map((r) => r.path)).toEqual(['/v1.0/users/delta']);
  });
});

type ErrorBody = { error: { code: string; message: string; details: { fields: Array<{ path: string }>; hint: string } } };
const settings = async () => (await world.json<UserSyncSettings>('/api/v1/settings/user-sync')).body;
const put = (body: unknown, query = '') => world.json<UserSyncSettings & ErrorBody>(`/api/v1/settings/user-sync${query}`, { method: 'PUT', body });
/** The stored delta links: forgetting the sync state deletes them (the next run re-reads everything). */
const deltaLinks = () => world.server.store.db.selectFrom('delta_state').select(['resource', 'delta_link']).where('tenant_id', '=', DEFAULT_TENANT).orderBy('resource').execute();

describe('pausing user sync (SPEC §2: settings are kept and read-only)', () => {
  const rules = {
    scope: { kind: 'userType', userTypes: ['Member', 'Guest'] },
    numbering: { kind: 'auto', start: '2000', end: '2999' },
    deleteWhen: { disabled: false, deleted: true },
    sameEmail: 'link',
    maxExtensions: 900,
  };
  let kept: UserSyncSettings;

  it('pauses with {"enabled":false}, keeping every rule and the delta links', async () => {
    expect((await put({ enabled: true, ...rules })).status).toBe(200);
    // The rule change forgot the delta links; this run stores new ones.
    await world.sync();
    kept = await settings();
    expect(kept).toMatchObject({ enabled: true, ...rules, welcomeEmail: true });
    const links = await deltaLinks();
    expect(links.map((l) => l.resource)).toContain('directory:users');

    const paused = await put({ enabled: false });
    expect(paused.status).toBe(200);
    expect(paused.body).toEqual({ ...kept, enabled: false });
    expect(await settings()).toEqual({ ...kept, enabled: false });
    expect(await deltaLinks()).toEqual(links);
    expect((await world.extensions()).filter((e) => e.source === 'entra').every((e) => e.readOnly)).toBe(true);
  });

  it('refuses to change paused settings with settings_read_only (409), changing nothing; an unchanged save is fine', async () => {
    const links = await deltaLinks();
    for (const body of [{ enabled: false, maxExtensions: 5 }, { numbering: { kind: 'auto', start: '5000' }, sameEmail: 'skip' }]) {
      const refused = await put(body);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('settings_read_only');
      expect(refused.body.error.message).toMatch(/^User sync is paused/);
      expect(refused.body.error.details.hint).toMatch(/^Resume user sync \(enabled: true\)/);
      expect(refused.body.error.details.fields.map((f) => f.path)).toEqual(Object.keys(body).filter((k) => k !== 'enabled').map((k) => `body.${k}`));
    }
    expect(await settings()).toEqual({ ...kept, enabled: false });
    expect((await put({ ...kept, enabled: false })).status).toBe(200);
    expect((await put({})).status).toBe(200);
    expect(await settings()).toEqual({ ...kept, enabled: false });
    expect(await deltaLinks()).toEqual(links);
  });

  it('resumes with {"enabled":true} under the same rules, continuing from the stored delta link', async () => {
    const users = (await deltaLinks()).find((l) => l.resource === 'directory:users')?.delta_link ?? '';
    world.emu.ops.clearRequests();
    const run = await saveSettings(world, 'user-sync', { enabled: true });
    expect(run).toMatchObject({ status: 'succeeded', counts: { created: 0, deleted: 0 } });
    expect(await settings()).toEqual(kept);
    const reads = world.emu.ops.requests().filter((r) => r.path === '/v1.0/users/delta');
    expect(reads[0]?.query).toBe(new URL(users).search.slice(1));
    expect((await world.extensions()).some((e) => e.readOnly)).toBe(false);
  });

  it('resuming may carry changes', async () => {
    await saveSettings(world, 'user-sync', { enabled: false });
    const run = await saveSettings(world, 'user-sync', { enabled: true, maxExtensions: 800, outOfScope: 'release' });
    expect(run?.status).toBe('succeeded');
    expect(await settings()).toEqual({ ...kept, maxExtensions: 800, outOfScope: 'release' });
  });

  it('pausing with onDisable=delete deletes the synced extensions; resuming creates them again', async () => {
    const before = [...(await world.byEntra()).keys()].sort();
    await saveSettings(world, 'user-sync', { enabled: false }, '?onDisable=delete');
    expect((await world.byEntra()).size).toBe(0);
    expect(await settings()).toMatchObject({ enabled: false, maxExtensions: 800, scope: rules.scope });
    await saveSettings(world, 'user-sync', { enabled: true });
    expect([...(await world.byEntra()).keys()].sort()).toEqual(before);
  });
});
