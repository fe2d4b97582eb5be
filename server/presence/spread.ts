/**
 * Runs `work` for each item, item i not before `start + i × spacingMs`, at most `concurrency`
 * at once: a cycle's Graph calls spread evenly over the cycle instead of arriving in a burst.
 * `start` (default now) lets the cycle's own preparation count against the cycle.
 */
export async function runSpread<T>(
  items: readonly T[],
  options: { spacingMs: number; concurrency: number; now: () => number; sleep: (ms: number) => Promise<void>; stopped: () => boolean; start?: number },
  work: (item: T) => Promise<void>,
): Promise<void> {
  const start = options.start ?? options.now();
  const running = new Set<Promise<void>>();
  for (const [i, item] of items.entries()) {
    if (options.stopped()) break;
    const wait = start + i * options.spacingMs - options.now();
    if (wait > 0) await options.sleep(wait);
    while (running.size >= options.concurrency) await Promise.race(running);
    const task: Promise<void> = work(item).finally(() => running.delete(task));
    running.add(task);
  }
  await Promise.all(running);
}

/** Splits into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
