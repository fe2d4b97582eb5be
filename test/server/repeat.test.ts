import { afterEach, describe, expect, it, vi } from 'vitest';
import { repeat } from '../../server/repeat.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('repeat', () => {
  it('waits firstMs, then the interval read after each run, goes on after a failure and stops', async () => {
    vi.useFakeTimers();
    let interval = 1_000;
    const errors: unknown[] = [];
    const work = vi.fn(() => (work.mock.calls.length === 2 ? Promise.reject(new Error('second run fails')) : Promise.resolve()));
    const loop = repeat({ firstMs: 0, everyMs: () => interval }, work, (error) => errors.push(error));
    await vi.advanceTimersByTimeAsync(0);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(2);
    expect(errors).toEqual([new Error('second run fails')]);
    interval = 5_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(work).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(4);
    await loop.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(work).toHaveBeenCalledTimes(4);
  });

  it('never starts a run before the previous one ended, and stop answers the run in progress', async () => {
    vi.useFakeTimers();
    let release: () => void = () => undefined;
    const work = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const loop = repeat({ everyMs: () => 100 }, work, () => undefined);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
