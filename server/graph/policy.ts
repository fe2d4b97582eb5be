import { setTimeout as sleep } from 'node:timers/promises';

/** How hard to retry transient failures (429, 503, 504, network resets). */
export interface RetryPolicy {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  /** First backoff step when Microsoft gives no Retry-After. */
  baseDelayMs: number;
  /** Cap of one exponential backoff step. */
  maxDelayMs: number;
  /** Cap of a Retry-After we obey (Graph sometimes asks for minutes). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 7, baseDelayMs: 250, maxDelayMs: 30_000, maxRetryAfterMs: 150_000 };

export const RETRYABLE_STATUS = new Set([429, 503, 504]);

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before attempt `attempt + 1`: Microsoft's Retry-After when given (that is what Graph asks
 * clients to do), else exponential backoff with full jitter so parallel clients spread out.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfter: number | undefined): number {
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** Network failures worth retrying: resets, refused or timed-out connections, aborted sockets. */
export function isTransientNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError') return true;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    return /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/.test(
      code,
    );
  }
  return error instanceof TypeError && /fetch failed|terminated/i.test(error.message);
}

/** The client-side request budget: a sliding window plus a cap on requests in flight. */
export interface BudgetOptions {
  /** Requests allowed per window (a `$batch` counts each inner request). */
  requests: number;
  windowMs: number;
  /** Requests in flight at once. */
  concurrency: number;
}

/**
 * Identity reads are budgeted by Microsoft in resource units per app and tenant per 10 s (3,500 for
 * the smallest tenants; a `GET users` with $select costs about 1–2). 1,200 requests per 10 s keeps
 * every documented tenant size under its limit with room for other apps.
 */
export const DEFAULT_BUDGET: BudgetOptions = { requests: 1_200, windowMs: 10_000, concurrency: 8 };

export interface Budget {
  /** Waits until `cost` requests fit in the window and a concurrency slot is free; call the result when done. */
  acquire(cost?: number): Promise<() => void>;
  /** Pauses everything until `at` (a 429 from Graph throttles the whole app, not one request). */
  pauseUntil(at: number): void;
}

export function createBudget(options: BudgetOptions): Budget {
  const spent: number[] = [];
  let inFlight = 0;
  let pausedUntil = 0;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());

  async function waitForRoom(cost: number): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (spent.length > 0 && (spent[0] ?? 0) <= now - options.windowMs) spent.shift();
      const windowFull = spent.length + cost > options.requests && spent.length > 0;
      const wait = Math.max(pausedUntil - now, windowFull ? (spent[0] ?? now) + options.windowMs - now : 0);
      if (wait <= 0 && inFlight < options.concurrency) return;
      if (wait > 0) await sleep(wait);
      else await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }

  return {
    async acquire(cost = 1) {
      await waitForRoom(cost);
      inFlight++;
      const now = Date.now();
      for (let i = 0; i < cost; i++) spent.push(now);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight--;
        wake();
      };
    },
    pauseUntil(at) {
      pausedUntil = Math.max(pausedUntil, at);
    },
  };
}
