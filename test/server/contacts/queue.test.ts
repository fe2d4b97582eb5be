import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { configureContactFollow, waitForContactRun } from '../../../server/contacts/index.js';
import type { RunView } from '../../../server/directory/index.js';
import { startContactWorld, type ContactWorld } from './support.js';

/** A contacts run asked for while another runs waits as `queued` and starts when the slot is free, as directory runs do. */
let world: ContactWorld | undefined;
afterEach(async () => {
  world?.emu.ops.clearFaults();
  await world?.stop();
  world = undefined;
});

const PERSONAL = { personal: { enabled: true, scope: { kind: 'all' } }, shared: { enabled: false } };

async function contactWorld(): Promise<ContactWorld> {
  const w = await startContactWorld();
  world = w;
  await w.sync();
  expect((await w.saveContactSync(PERSONAL))?.status).toBe('succeeded');
  return w;
}

const run = async (w: ContactWorld, id: string) => (await w.json<RunView>(`/api/v1/sync-runs/${id}`)).body;
const post = (w: ContactWorld, body?: { full?: boolean }) => w.json<{ id: string }>('/api/v1/contact-sync-runs', { method: 'POST', ...(body ? { body } : {}) });
const contactRuns = async (w: ContactWorld) => (await w.json<{ items: RunView[] }>('/api/v1/sync-runs?limit=100')).body.items.filter((r) => r.kind === 'contacts');
const planOf = async (w: ContactWorld, id: string) =>
  JSON.parse((await w.server.store.db.selectFrom('sync_run').select('plan').where('id', '=', id).executeTakeFirstOrThrow()).plan ?? 'null') as { full?: boolean } | null;

/** Starts a contacts run that Graph's latency keeps going for a few seconds. */
async function slowRun(w: ContactWorld): Promise<string> {
  w.emu.ops.setFaults({ latencyMs: 1000 });
  const started = await post(w);
  expect(started.status).toBe(202);
  expect((await run(w, started.body.id)).status).toBe('running');
  return started.body.id;
}

describe('queued contacts runs', () => {
  it('queues a request and a settings save made during a run, joins them, and starts the run with the new settings when the slot is free', async () => {
    const w = await contactWorld();
    const first = await slowRun(w);
    const queued = await post(w);
    expect(queued.status).toBe(202);
    expect(queued.body.id).not.toBe(first);
    expect(await run(w, queued.body.id)).toMatchObject({ kind: 'contacts', status: 'queued', trigger: 'manual', startedAt: null, finishedAt: null });
    // Later requests join the waiting run; asking for a full run makes it one.
    expect(await post(w, { full: true })).toEqual({ status: 202, body: { id: queued.body.id } });
    expect(await planOf(w, queued.body.id)).toMatchObject({ full: true });
    // Saving settings during the run queues too (the run reads them when it starts): shared mailboxes on.
    const saved = await w.server.admin('/api/v1/settings/contact-sync', { method: 'PUT', body: { ...PERSONAL, shared: { enabled: true, mailboxes: { kind: 'all' } } } });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('x-sync-run-id')).toBe(queued.body.id);
    expect(await w.phonebooks('?kind=company')).toEqual([]);
    w.emu.ops.clearFaults();

    await waitForContactRun(w.server.store, first);
    const done = await w.waitRun(queued.body.id);
    const before = await run(w, first);
    expect(before.status).toBe('succeeded');
    expect(done.status).toBe('succeeded');
    // One run at a time: the queued one started once the first had finished.
    expect(Date.parse(done.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(before.finishedAt ?? ''));
    expect((await w.phonebooks('?kind=company')).length).toBe(3);
    expect((await contactRuns(w)).filter((r) => r.status === 'queued' || r.status === 'running')).toEqual([]);
  });

  it('drops a queued run an admin cancels: the running one ends and nothing starts after it', async () => {
    const w = await contactWorld();
    const first = await slowRun(w);
    const queued = (await post(w)).body.id;
    const cancelled = await w.json<RunView>(`/api/v1/sync-runs/${queued}/cancel`, { method: 'POST' });
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'failed', error: 'Cancelled by an admin.', startedAt: null } });
    w.emu.ops.clearFaults();
    await waitForContactRun(w.server.store, first);
    expect((await w.waitRun(first)).status).toBe('succeeded');
    await new Promise((r) => setTimeout(r, 200));
    expect((await contactRuns(w)).filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([]);
  });

  it('ends a queued run that cannot start any more with the reason, and drops one when the integration is disabled', async () => {
    const w = await contactWorld();
    // The integration disconnected while the run goes: the queued run cannot read Graph any more.
    let first = await slowRun(w);
    let queued = (await post(w)).body.id;
    const disabled = await w.json('/api/v1/integration/disable', { method: 'POST', body: { deleteExtensions: false, deleteGroups: false } });
    expect(disabled.status).toBe(200);
    w.emu.ops.clearFaults();
    expect(await w.waitRun(queued)).toMatchObject({ status: 'failed', error: 'The integration was disabled.', startedAt: null });
    expect((await w.waitRun(first)).status).toBe('failed');

    expect((await w.json('/api/v1/integration/enable', { method: 'POST' })).status).toBe(200);
    // No phonebook left (a scope nobody is in: a group that does not exist), then contact sync
    // switched off while a run goes: the queued run has nothing to do.
    const nobody = { personal: { enabled: true, scope: { kind: 'groups', groupIds: [randomUUID()] } }, shared: { enabled: false } };
    expect((await w.saveContactSync(nobody))?.status).toBe('succeeded');
    expect(await w.phonebooks()).toEqual([]);
    first = await slowRun(w);
    queued = (await post(w)).body.id;
    const off = await w.server.admin('/api/v1/settings/contact-sync', { method: 'PUT', body: { personal: { enabled: false }, shared: { enabled: false } } });
    expect(off.status).toBe(200);
    expect(off.headers.get('x-sync-run-id')).toBeNull();
    w.emu.ops.clearFaults();
    await waitForContactRun(w.server.store, first);
    expect(await w.waitRun(queued)).toMatchObject({ status: 'failed', error: 'Neither personal nor shared-mailbox contact sync is enabled.', startedAt: null });
  });

  it('keeps a queued run over a restart and starts it then', async () => {
    const w = await contactWorld();
    await slowRun(w);
    const queued = (await post(w)).body.id;
    await w.restart();
    configureContactFollow(w.server.store, { pollMs: 0 });
    w.emu.ops.clearFaults();
    expect((await w.waitRun(queued)).status).toBe('succeeded');
    expect((await contactRuns(w)).filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([]);
  });
});
