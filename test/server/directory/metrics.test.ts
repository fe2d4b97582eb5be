import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../../server/directory/index.js';
import { startContactWorld, type ContactWorld } from '../contacts/support.js';

let world: ContactWorld;
beforeAll(async () => {
  world = await startContactWorld({ users: 30, seed: 61 });
});
afterAll(() => world.stop());

const scrape = async () => (await fetch(`${world.server.url}/metrics`)).text();
/** The value of one series, or undefined when it is not there. */
const valueOf = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('sync metrics', () => {
  it('count runs by kind and outcome, the changes they made, their duration and the Graph requests behind them', async () => {
    // Events are written for a subscriber even when it cannot be reached: the outbox shows what was published.
    const hook = await world.json('/api/v1/webhook-endpoints', { method: 'POST', body: { url: 'https://pbx.invalid/hook', events: ['sync_run.finished'] } });
    expect(hook.status).toBe(201);
    // The world's first user-sync run, started when it was set up.
    const [first] = (await world.json<{ items: RunView[] }>('/api/v1/sync-runs')).body.items;
    expect(first?.status).toBe('succeeded');
    const contacts = await world.saveContactSync({ personal: { enabled: true, scope: { kind: 'all' } }, shared: { enabled: false } });
    expect(contacts?.status).toBe('succeeded');

    // Deleting more than the guard allows holds the next run.
    const victims = world.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.accountEnabled).slice(0, 12);
    for (const u of victims) world.emu.ops.deleteUser(u.data.id);
    const held = await world.sync();
    expect(held.status).toBe('held');

    const text = await scrape();
    expect(text).toContain('# TYPE ucbridge_sync_runs_total counter');
    expect(valueOf(text, 'ucbridge_sync_runs_total{tenant="default",kind="directory",status="succeeded"}')).toBe(1);
    expect(valueOf(text, 'ucbridge_sync_runs_total{tenant="default",kind="directory",status="held"}')).toBe(1);
    expect(valueOf(text, 'ucbridge_sync_runs_total{tenant="default",kind="contacts",status="succeeded"}')).toBe(1);
    expect(valueOf(text, 'ucbridge_sync_changes_total{tenant="default",kind="directory",change="created"}')).toBe(first?.counts.created);
    expect(valueOf(text, 'ucbridge_sync_run_duration_seconds_count{kind="directory"}')).toBe(1);
    expect(valueOf(text, 'ucbridge_sync_run_duration_seconds_count{kind="contacts"}')).toBe(1);
    expect(valueOf(text, 'ucbridge_graph_requests_total{tenant="default"}')).toBeGreaterThan(3);
    expect(valueOf(text, 'ucbridge_graph_retries_total{tenant="default"}')).toBe(0);

    const confirmed = await world.json<RunView>(`/api/v1/sync-runs/${held.id}/confirm`, { method: 'POST' });
    expect((await world.waitRun(confirmed.body.id)).status).toBe('succeeded');
    const after = await scrape();
    expect(valueOf(after, 'ucbridge_sync_runs_total{tenant="default",kind="directory",status="succeeded"}')).toBe(2);
    expect(valueOf(after, 'ucbridge_sync_changes_total{tenant="default",kind="directory",change="deleted"}')).toBe(12);

    // One sync_run.finished per finished run (a contacts run once sent two).
    const finished = await world.server.store.db.selectFrom('webhook_delivery').select('payload').where('event_type', '=', 'sync_run.finished').execute();
    const runIds = finished.map((d) => (JSON.parse(d.payload) as { data: { id: string } }).data.id);
    expect(runIds.filter((id) => id === contacts?.id)).toHaveLength(1);
    expect(runIds.filter((id) => id === confirmed.body.id)).toHaveLength(1);
  });
});
