import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { AppError } from '../errors.js';
import { graphError, readGraphError, type GraphErrorInfo } from './errors.js';
import { backoffMs, retryAfterMs, RETRYABLE_STATUS, type RetryPolicy } from './policy.js';
import type { Requester } from './request.js';

export interface BatchRequest {
  /** Unique within one call. */
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to the version root, e.g. `/users/{id}?$select=id`. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const batchAnswer = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

/** Graph's limit for one `$batch`. */
export const BATCH_LIMIT = 20;

const header = (headers: Record<string, string>, name: string) =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];

/** Sends up to 20 requests, re-sending the ones answered 429/503/504 (the SDKs leave that to the caller). */
async function sendChunk(requester: Requester, retry: RetryPolicy, chunk: BatchRequest[]): Promise<BatchResponse[]> {
  const done: BatchResponse[] = [];
  let pending = chunk;
  for (let n = 0; pending.length > 0; n++) {
    const body = {
      requests: pending.map((r) => ({
        id: r.id,
        method: r.method,
        url: r.url,
        ...(r.body === undefined ? {} : { body: r.body, headers: { 'content-type': 'application/json', ...r.headers } }),
        ...(r.body === undefined && r.headers ? { headers: r.headers } : {}),
      })),
    };
    const answer = await requester.request('/$batch', { method: 'POST', body, schema: batchAnswer, cost: pending.length });
    const byId = new Map(pending.map((r) => [r.id, r]));
    const again: BatchRequest[] = [];
    let wait: number | undefined;
    for (const response of answer.responses) {
      const request = byId.get(response.id);
      if (!request) continue;
      byId.delete(response.id);
      const headers = response.headers ?? {};
      if (RETRYABLE_STATUS.has(response.status) && n < retry.maxAttempts - 1) {
        again.push(request);
        const after = retryAfterMs(header(headers, 'retry-after'));
        if (after !== undefined) wait = Math.max(wait ?? 0, after);
        continue;
      }
      done.push({ id: response.id, status: response.status, headers, body: response.body });
    }
    // Graph answers every request; one it skipped is sent again rather than lost.
    again.push(...byId.values());
    pending = again;
    if (pending.length > 0) {
      requester.stats.retries += pending.length;
      await sleep(backoffMs(retry, n, wait));
    }
  }
  return done;
}

/** Any number of requests, 20 per `$batch`; answers come back in the order of `requests`. */
export async function batch(requester: Requester, retry: RetryPolicy, requests: BatchRequest[]): Promise<BatchResponse[]> {
  const chunks: BatchRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_LIMIT) chunks.push(requests.slice(i, i + BATCH_LIMIT));
  const answers = (await Promise.all(chunks.map((chunk) => sendChunk(requester, retry, chunk)))).flat();
  const byId = new Map(answers.map((a) => [a.id, a]));
  return requests.map((r) => byId.get(r.id) ?? { id: r.id, status: 503, headers: {}, body: undefined });
}

/** Graph's `{"error":{code,message}}` of one inner response. */
export const batchItemErrorInfo = (response: BatchResponse): GraphErrorInfo => readGraphError(response.status, JSON.stringify(response.body ?? {}));

/** The typed error for one failed inner response. */
export function batchItemError(response: BatchResponse, what: string): AppError {
  return graphError(batchItemErrorInfo(response), what);
}
