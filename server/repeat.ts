/** A background loop started by `repeat`. */
export interface Repeating {
  /** No further runs; answers the run in progress, if any, for callers that must wait for it. */
  stop(): Promise<void>;
}

/**
 * Runs `work` `firstMs` after the call, then `everyMs()` after each run ends (never two at once;
 * the interval is read each time, so a changed setting applies to the next wait), until stopped.
 * A failed run goes to `onError` and the loop goes on. The timer never keeps the process alive.
 */
export function repeat(
  timing: { everyMs: () => number; firstMs?: number },
  work: () => Promise<unknown>,
  onError: (error: unknown) => void,
): Repeating {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = work()
        .then(() => undefined, onError)
        .finally(() => schedule(timing.everyMs()));
    }, delayMs);
    timer.unref();
  };
  schedule(timing.firstMs ?? timing.everyMs());
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      return running;
    },
  };
}
