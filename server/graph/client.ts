import { batch, type BatchRequest, type BatchResponse } from './batch.js';
import { deltaPages, pages, type DeltaPage, type PageOptions } from './paging.js';
import { createMailboxLimiter } from './mailbox-limit.js';
import { createBudget, DEFAULT_BUDGET, DEFAULT_RETRY, type BudgetOptions, type RetryPolicy } from './policy.js';
import { createRequester, type RequestOptions, type RequestStats } from './request.js';
import { createTokenSource, type AppToken, type GraphCredentials } from './token.js';
import type { Transport } from './transport.js';

export interface GraphClientOptions {
  transport: Transport;
  retry?: Partial<RetryPolicy>;
  budget?: Partial<BudgetOptions>;
  /** Per HTTP request (default 60 s). */
  timeoutMs?: number;
}

/**
 * The Microsoft Graph client every module uses. One instance per app registration and tenant:
 * it shares that app's token cache and request budget between all callers.
 */
export interface GraphClient {
  /** Graph endpoint root, e.g. https://graph.microsoft.com (no version). */
  readonly endpoint: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** Requests sent so far (retries included) and how many were retries. */
  readonly stats: RequestStats;
  /** The current app-only token (cached by MSAL until near expiry); `roles` lists granted app permissions. */
  token(options?: { refresh?: boolean }): Promise<AppToken>;
  /** One call; `path` is relative to /v1.0 (`/users/{id}`) or an absolute nextLink/deltaLink. */
  request<T = unknown>(path: string, options?: RequestOptions<T>): Promise<T>;
  /** Streams a collection page by page, following `@odata.nextLink`. */
  pages<T>(path: string, options: PageOptions<T>): AsyncGenerator<T[]>;
  /** One delta round from `/…/delta` or a stored deltaLink; the last page carries the next deltaLink. */
  delta<T>(pathOrLink: string, options: PageOptions<T>): AsyncGenerator<DeltaPage<T>>;
  /** Any number of requests through `$batch` (20 per call), throttled items retried; answers in input order. */
  batch(requests: BatchRequest[]): Promise<BatchResponse[]>;
}

export function createGraphClient(credentials: GraphCredentials, options: GraphClientOptions): GraphClient {
  const endpoint = credentials.graphEndpoint.replace(/\/+$/, '');
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const tokens = createTokenSource({ ...credentials, graphEndpoint: endpoint }, options.transport, retry);
  const requester = createRequester({
    endpoint,
    transport: options.transport,
    tokens,
    retry,
    budget: createBudget({ ...DEFAULT_BUDGET, ...options.budget }),
    mailboxes: createMailboxLimiter(),
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  return {
    endpoint,
    tenantId: credentials.tenantId,
    clientId: credentials.clientId,
    stats: requester.stats,
    token: (o) => tokens.get(o),
    request: (path, o) => requester.request(path, o),
    pages: (path, o) => pages(requester, path, o),
    delta: (path, o) => deltaPages(requester, path, o),
    batch: (requests) => batch(requester, retry, requests),
  };
}
