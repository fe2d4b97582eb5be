import { describe, expect, it } from 'vitest';
import { scheduleSettings, type EnqueueOptions, type JobRunner } from '../../../server/jobs/index.js';
import { ChangeDebouncer } from '../../../server/jobs/debounce.js';

function fakeRunner() {
  const calls: Array<{ name: string; tenantId: string; options: EnqueueOptions }> = [];
  const runner = {
    enqueue: (name: string, tenantId: string, options: EnqueueOptions = {}) => {
      calls.push({ name, tenantId, options });
      return Promise.resolve('job');
    },
  } as unknown as JobRunner;
  return { runner, calls };
}

const T0 = Date.parse('2026-05-01T10:00:00Z');
const at = (calls: ReturnType<typeof fakeRunner>['calls']) => calls.map((c) => c.options.runAt?.toISOString());

describe('change debounce', () => {
  it('runs delayMinutes after the first change, or at once when burst changes have accumulated', async () => {
    const { runner, calls } = fakeRunner();
    const settings = scheduleSettings.parse({ changeTrigger: { delayMinutes: 2, burst: 5 } });
    const debounce = new ChangeDebouncer(runner, () => Promise.resolve(settings));
    await debounce.note('t1', 2, T0);
    await debounce.note('t1', 2, T0 + 30_000);
    await debounce.note('t1', 1, T0 + 40_000); // 5th change: burst
    expect(at(calls)).toEqual(['2026-05-01T10:02:00.000Z', '2026-05-01T10:02:00.000Z', '2026-05-01T10:00:40.000Z']);
    expect(calls.every((c) => c.name === 'directory.delta-sync' && c.options.singletonKey === 'directory-sync:t1')).toBe(true);
    debounce.started('t1'); // the run covers them; a new batch starts its own delay
    await debounce.note('t1', 1, T0 + 600_000);
    expect(at(calls).at(-1)).toBe('2026-05-01T10:12:00.000Z');
  });

  it('starts at once with the defaults, and ignores changes when the trigger is off', async () => {
    const { runner, calls } = fakeRunner();
    let settings = scheduleSettings.parse({});
    const debounce = new ChangeDebouncer(runner, () => Promise.resolve(settings));
    await debounce.note('t1', 1, T0);
    expect(at(calls)).toEqual(['2026-05-01T10:00:00.000Z']);
    settings = scheduleSettings.parse({ changeTrigger: { enabled: false } });
    await debounce.note('t1', 50, T0 + 1000);
    expect(calls).toHaveLength(1);
  });

  it('ends a batch with a run started after its first change on another instance', async () => {
    const { runner, calls } = fakeRunner();
    const settings = scheduleSettings.parse({ changeTrigger: { delayMinutes: 10, burst: 3 } });
    let lastRun: number | undefined = undefined;
    const debounce = new ChangeDebouncer(runner, () => Promise.resolve(settings), () => Promise.resolve(lastRun));
    await debounce.note('t1', 2, T0);
    // Another instance ran the delta job (this one's `started` is never called).
    lastRun = T0 + 600_000;
    await debounce.note('t1', 1, T0 + 3 * 3_600_000);
    // A new batch: 10 minutes from this change, not at once (old first change, or 3 changes counted).
    expect(at(calls)).toEqual(['2026-05-01T10:10:00.000Z', '2026-05-01T13:10:00.000Z']);
  });
});
