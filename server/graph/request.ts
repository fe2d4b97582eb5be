import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { graphError, readGraphError } from './errors.js';
import { mailboxOf, type MailboxLimiter } from './mailbox-limit.js';
import {
  backoffMs,
  isTransientNetworkError,
  retryAfterMs,
  RETRYABLE_STATUS,
  type Budget,
  type RetryPolicy,
} from './policy.js';
import type { TokenSource } from './token.js';
import type { Transport } from './transport.js';

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Query parameters (`$select` etc. spelled out), ignored for absolute URLs (nextLink/deltaLink carry their own). */
  query?: Record<string, QueryValue>;
  /** Shorthand for `$select`. */
  select?: readonly string[];
  headers?: Record<string, string>;
  body?: unknown;
  /** Validates the JSON answer; without one the answer is returned as `unknown` (text for text/plain). */
  schema?: z.ZodType<T>;
  /** Requests this call counts for in the budget (a `$batch` counts its inner requests). */
  cost?: number;
  /** Read the answer as bytes (`/photo/$value`): the result is a `GraphMedia`. */
  binary?: boolean;
}

/** A binary answer (a profile photo). */
export interface GraphMedia {
  contentType: string;
  etag: string | null;
  bytes: Buffer;
}

export interface RequestStats {
  /** HTTP requests sent to Graph, retries included. */
  requests: number;
  /** Of those, answered 429/503/504 or failed on the network and retried. */
  retries: number;
}

export interface Requester {
  request<T = unknown>(pathOrUrl: string, options?: RequestOptions<T>): Promise<T>;
  readonly stats: RequestStats;
  readonly endpoint: string;
}

interface RequesterDeps {
  endpoint: string;
  transport: Transport;
  tokens: TokenSource;
  retry: RetryPolicy;
  budget: Budget;
  /** Outlook's per-mailbox concurrency limit, for calls to a mailbox (contacts, calendar). */
  mailboxes: MailboxLimiter;
  timeoutMs: number;
}

/** `/users` → `<endpoint>/v1.0/users?…`; absolute URLs must point at our Graph endpoint (the token goes nowhere else). */
export function resolveUrl(endpoint: string, pathOrUrl: string, options: RequestOptions<unknown>): string {
  if (/^https?:\/\//i.test(pathOrUrl)) {
    const url = new URL(pathOrUrl);
    if (url.origin !== new URL(endpoint).origin) {
      throw new AppError('graph_error', `Refusing to call ${url.origin}: it is not the configured Graph endpoint.`);
    }
    return url.toString();
  }
  const url = new URL(`${endpoint}/v1.0${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`);
  if (options.select?.length) url.searchParams.set('$select', options.select.join(','));
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** Method and path only: what error messages and logs may show (query strings carry skiptokens). */
const describe = (method: string, url: string) => `${method} ${new URL(url).pathname}`;

/** An answer read to the end (inside the retry loop: a connection can also drop mid-body). */
interface Answer {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
  bytes?: Buffer;
}

function parseBody<T>(response: Answer, options: RequestOptions<T>, what: string): T {
  if (response.status === 204) return undefined as T;
  if (response.bytes) {
    const media: GraphMedia = { contentType: response.headers.get('content-type') ?? 'application/octet-stream', etag: response.headers.get('etag'), bytes: response.bytes };
    return media as T;
  }
  const type = response.headers.get('content-type') ?? '';
  const text = response.text;
  if (!type.includes('json')) return (options.schema ? options.schema.parse(text) : text) as T;
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!options.schema) return json as T;
  const parsed = options.schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new AppError('graph_error', `Microsoft Graph answered ${what} with an unexpected shape.`, {
    issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`),
  });
}

/**
 * One Graph call with everything around it: the app token (refreshed once on a 401), the budget,
 * retries with Retry-After or jittered backoff on 429/503/504 and network resets, typed errors.
 */
export function createRequester(deps: RequesterDeps): Requester {
  const stats: RequestStats = { requests: 0, retries: 0 };

  async function attempt(url: string, method: string, options: RequestOptions<unknown>, refresh: boolean) {
    const mailbox = mailboxOf(url);
    // The mailbox slot first: a request queued behind its mailbox must not hold a budget slot.
    const releaseMailbox = mailbox === undefined ? undefined : await deps.mailboxes.acquire(mailbox);
    const release = await deps.budget.acquire(options.cost ?? 1);
    try {
      const token = await deps.tokens.get({ refresh });
      const headers: Record<string, string> = {
        authorization: `Bearer ${token.accessToken}`,
        accept: 'application/json',
        ...options.headers,
      };
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      stats.requests++;
      const response = await deps.transport.fetch(url, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
      if (options.binary && response.ok) return { status: response.status, ok: true, headers: response.headers, text: '', bytes: Buffer.from(await response.arrayBuffer()) };
      return { status: response.status, ok: response.ok, headers: response.headers, text: await response.text() };
    } finally {
      release();
      releaseMailbox?.();
    }
  }

  async function request<T>(pathOrUrl: string, options: RequestOptions<T> = {}): Promise<T> {
    const method = options.method ?? 'GET';
    const url = resolveUrl(deps.endpoint, pathOrUrl, options);
    const what = describe(method, url);
    let refreshed = false;
    let refreshNow = false;
    for (let n = 0; ; n++) {
      const last = n >= deps.retry.maxAttempts - 1;
      let response: Answer;
      try {
        response = await attempt(url, method, options, refreshNow);
        refreshNow = false;
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (!isTransientNetworkError(error) || last) {
          throw new AppError('graph_unreachable', `Microsoft Graph could not be reached for ${what}.`, {
            hint: 'Check graphEndpoint, DNS and outbound HTTPS from this server.',
          });
        }
        stats.retries++;
        await sleep(backoffMs(deps.retry, n, undefined));
        continue;
      }
      if (response.ok) return parseBody(response, options, what);
      const text = response.text;
      if (response.status === 401 && !refreshed) {
        // The token may have been revoked or expired early: one retry with a fresh one.
        refreshed = refreshNow = true;
        continue;
      }
      if (RETRYABLE_STATUS.has(response.status) && !last) {
        stats.retries++;
        const delay = backoffMs(deps.retry, n, retryAfterMs(response.headers.get('retry-after')));
        if (response.status === 429) deps.budget.pauseUntil(Date.now() + delay);
        await sleep(delay);
        continue;
      }
      throw graphError(readGraphError(response.status, text), what);
    }
  }

  return { request, stats, endpoint: deps.endpoint };
}
