import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobRunner } from '../../../server/jobs/index.js';
import { FULL_SYNC, runDirectorySync } from '../../../server/jobs/sync-jobs.js';
import { eventually, startChangeWorld, type ChangeWorld } from './support.js';

let world: ChangeWorld;
beforeAll(async () => {
  // No polling: only the runs this test starts.
  world = await startChangeWorld({ notifications: false, schedule: { changeTrigger: { enabled: false } } });
});
afterAll(async () => {
  await world.stop();
});

/** A runner that only records what the job queues again. */
function recordingRunner() {
  const queued: string[] = [];
  const runner = {
    enqueue: (name: string) => {
      queued.push(name);
      return Promise.resolve('job');
    },
  } as unknown as JobRunner;
  return { runner, queued };
}

describe('scheduled full sync job', () => {
  it('retried while its run goes on, or after that run, starts no second full sync', async () => {
    const deps = { store: world.server.store, config: world.server.ctx.config };
    const { runner, queued } = recordingRunner();
    const job: Job = { id: 'job-1', name: FULL_SYNC, tenantId: 'default', payload: { scheduledFor: new Date().toISOString() }, attempt: 1 };
    const scheduledRuns = async () => (await world.runs()).filter((r) => r.trigger === 'schedule');
    world.emu.ops.setFaults({ latencyMs: 200 });
    const first = runDirectorySync(deps, runner, job);
    const run = await eventually(async () => (await scheduledRuns()).find((r) => r.status === 'running'));
    // pg-boss expired the job and retried it while its run goes on: it ends, queueing nothing.
    expect(await runDirectorySync(deps, runner, { ...job, attempt: 2 })).toBeUndefined();
    expect(queued).toEqual([]);
    world.emu.ops.clearFaults();
    expect(await first).toBe(run.id);
    // The retry (or a job queued again behind the busy key) comes once that run has succeeded.
    expect(await runDirectorySync(deps, runner, { ...job, attempt: 2 })).toBeUndefined();
    expect((await scheduledRuns()).map((r) => [r.id, r.status])).toEqual([[run.id, 'succeeded']]);
    // The next scheduled time is not served by it.
    const next = await runDirectorySync(deps, runner, { ...job, id: 'job-2', payload: { scheduledFor: new Date().toISOString() } });
    expect(next).toBeDefined();
    expect((await scheduledRuns()).map((r) => r.id).sort()).toEqual([run.id, next].sort());
  });
});
