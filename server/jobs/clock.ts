/**
 * Time as the job runner sees it. Production uses the system clock; tests inject a manual one to
 * walk a schedule across a DST change without waiting.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` after `ms` milliseconds; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const handle = setTimeout(fn, ms);
    // Timers never keep the process alive: the HTTP server (or the CLI command) does.
    handle.unref();
    return () => clearTimeout(handle);
  },
};
