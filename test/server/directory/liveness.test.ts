import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureRunLiveness, keepAlive, startSync, waitForRun, type RunView } from '../../../server/directory/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { saveSettings, startWorld, type World } from './world.js';

let world: World | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await world?.stop();
  world = undefined;
});

describe('run liveness (RUN_HEARTBEAT_SECONDS)', () => {
  it('counts a running run as abandoned only after four missed heartbeats of the configured length', async () => {
    world = await startWorld({ emulator: { users: 12, seed: 4 } });
    await world.connect();
    const first = await saveSettings(world, 'user-sync', { enabled: true, numbering: { kind: 'auto', start: '3000' } });
    expect(first?.status).toBe('succeeded');
    const store = world.server.store;
    // A run whose process went quiet 10 s ago: alive by the default heartbeat (15 s, dead after 60 s).
    const tenSecondsAgo = new Date(Date.now() - 10_000).toISOString();
    await store.db.updateTable('sync_run').set({ status: 'running', heartbeat_at: tenSecondsAgo, finished_at: null }).where('id', '=', first?.id ?? '').execute();
    const ctx = { store, config: world.server.ctx.config };
    await expect(startSync(ctx, DEFAULT_TENANT, { trigger: 'manual' })).rejects.toMatchObject({ code: 'sync_run_active' });

    // Heartbeats every 2 s: 10 s of silence is more than four missed ones.
    configureRunLiveness(store, 2);
    const id = await startSync(ctx, DEFAULT_TENANT, { trigger: 'manual' });
    await waitForRun(store, id);
    expect((await world.json<RunView>(`/api/v1/sync-runs/${id}`)).body.status).toBe('succeeded');
  });

  it('beats at the configured interval until stopped', async () => {
    world = await startWorld({ emulator: { users: 1, seed: 4 } });
    vi.useFakeTimers();
    configureRunLiveness(world.server.store, 3);
    const beat = vi.fn(() => Promise.resolve());
    const stop = keepAlive(world.server.store, beat);
    vi.advanceTimersByTime(2_999);
    expect(beat).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(3_001);
    expect(beat).toHaveBeenCalledTimes(2);
    stop();
    vi.advanceTimersByTime(30_000);
    expect(beat).toHaveBeenCalledTimes(2);
  });
});
