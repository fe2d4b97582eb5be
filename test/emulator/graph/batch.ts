import type { Router } from '../http/router.js';
import type { EmuRequest, EmuResponse } from '../http/types.js';
import { bodyObject, ok, type GraphCtx } from './context.js';
import { badRequest } from './errors.js';

const MAX_REQUESTS = 20;

interface Step {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

interface StepResult {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Validates the batch envelope: ≤ 20 steps, unique ids, known dependencies. https://learn.microsoft.com/graph/json-batching */
function parseSteps(ctx: GraphCtx): Step[] {
  const raw = bodyObject(ctx).requests;
  if (!Array.isArray(raw) || raw.length === 0) return badRequest('Invalid batch payload format.');
  if (raw.length > MAX_REQUESTS) badRequest(`Number of batch request steps exceeds the maximum of ${MAX_REQUESTS}.`);
  const steps = raw.map((r: unknown): Step => {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    if (typeof o.id !== 'string' || typeof o.method !== 'string' || typeof o.url !== 'string') badRequest('Each batch request needs id, method and url.');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((o.headers ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    return { id: String(o.id), method: String(o.method).toUpperCase(), url: String(o.url), headers, body: o.body, dependsOn: Array.isArray(o.dependsOn) ? o.dependsOn.map(String) : [] };
  });
  const ids = new Set<string>();
  for (const s of steps) {
    if (ids.has(s.id)) badRequest(`Batch request contains duplicate id '${s.id}'.`);
    ids.add(s.id);
  }
  for (const s of steps) for (const d of s.dependsOn) if (!ids.has(d)) badRequest(`Request '${s.id}' depends on unknown request '${d}'.`);
  return steps;
}

function innerRequest(ctx: GraphCtx, step: Step): EmuRequest {
  const url = new URL(step.url.replace(/^\/?(v1\.0\/)?/i, '/v1.0/'), ctx.req.origin);
  const headers: Record<string, string> = { ...step.headers, authorization: ctx.req.headers.authorization ?? '' };
  const body = step.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof step.body === 'string' ? step.body : JSON.stringify(step.body));
  return { method: step.method, path: decodeURIComponent(url.pathname), query: url.searchParams, headers, body, origin: ctx.req.origin, batched: true };
}

/** Inner bodies: JSON parsed, text as a string, binary as base64 (like Graph). */
function responseBody(res: EmuResponse): unknown {
  const type = res.headers['content-type'] ?? '';
  if (res.body.length === 0) return undefined;
  if (type.includes('json')) return JSON.parse(res.body.toString()) as unknown;
  if (type.startsWith('text/')) return res.body.toString();
  return Buffer.from(res.body).toString('base64');
}

async function runStep(ctx: GraphCtx, step: Step): Promise<StepResult> {
  if (step.body !== undefined && !step.headers['content-type']) {
    return { id: step.id, status: 400, headers: { 'content-type': 'application/json' }, body: { error: { code: 'BadRequest', message: 'A Content-Type header is required for a request with a body.' } } };
  }
  const res = await ctx.svc.pipeline.handle(innerRequest(ctx, step), false);
  if (res === 'reset') return { id: step.id, status: 503, headers: {} };
  const headers: Record<string, string> = {};
  for (const h of ['content-type', 'retry-after', 'location', 'etag', 'preference-applied']) if (res.headers[h]) headers[h === 'retry-after' ? 'Retry-After' : h === 'content-type' ? 'Content-Type' : h] = res.headers[h] ?? '';
  const body = responseBody(res);
  return body === undefined ? { id: step.id, status: res.status, headers } : { id: step.id, status: res.status, headers, body };
}

const failedDependency = (id: string): StepResult => ({
  id,
  status: 424,
  headers: { 'Content-Type': 'application/json' },
  body: { error: { code: 'FailedDependency', message: 'Request failed because a request it depends on failed.' } },
});

/** Runs steps as soon as their dependencies finish; a failed dependency yields 424. */
async function runBatch(ctx: GraphCtx, steps: Step[]): Promise<StepResult[]> {
  const results = new Map<string, Promise<StepResult>>();
  const run = (step: Step): Promise<StepResult> => {
    const existing = results.get(step.id);
    if (existing) return existing;
    const p = (async (): Promise<StepResult> => {
      const parents = await Promise.all(step.dependsOn.map((d) => run(steps.find((s) => s.id === d) as Step)));
      if (parents.some((r) => r.status < 200 || r.status >= 300)) return failedDependency(step.id);
      return runStep(ctx, step);
    })();
    results.set(step.id, p);
    return p;
  };
  return Promise.all(steps.map(run));
}

export function registerBatch(r: Router<GraphCtx>): void {
  r.post('/v1.0/$batch', async (ctx) => {
    const steps = parseSteps(ctx);
    return ok(ctx, { responses: await runBatch(ctx, steps) });
  });
}
