import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
const userIds = (): string[] => emu.state.directory.users.slice(1, 6).map((u) => u.data.id);

beforeAll(async () => {
  emu = await startTestEmulator({ users: 100, seed: 5 });
});
afterEach(() => {
  emu.ops.clearFaults();
  emu.ops.clearRequests();
});
afterAll(async () => emu.close());

describe('$batch', () => {
  it('an inner 429 comes back with its own Retry-After and the caller retries just that step', async () => {
    const client = emu.graphClient();
    emu.ops.setFaults({ rate429: 1, retryAfter: 1, count: 1, paths: ['/v1.0/users/*'] });
    const pending = new Map(userIds().map((id, i) => [String(i + 1), id]));
    const done = new Map<string, { id: string }>();
    let throttledSeen = 0;
    for (let round = 0; round < 3 && pending.size > 0; round++) {
      const batch = new BatchRequestContent([...pending].map(([id, uid]) => ({ id, request: new Request(`${emu.graph}/v1.0/users/${uid}?$select=id`, { method: 'GET' }) })));
      const res = new BatchResponseContent((await client.api('/$batch').post(await batch.getContent())) as { responses: [] });
      let wait = 0;
      for (const [id, r] of res.getResponses()) {
        if (r.status === 429) {
          throttledSeen++;
          wait = Math.max(wait, Number(r.headers.get('Retry-After')));
          continue;
        }
        expect(r.status).toBe(200);
        done.set(id, (await r.json()) as { id: string });
        pending.delete(id);
      }
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
    expect(throttledSeen).toBe(1);
    expect([...done.values()].map((u) => u.id).sort()).toEqual([...userIds()].sort());
    const inner = emu.ops.requests().filter((r) => r.batched);
    expect(inner.filter((r) => r.status === 429 && r.fault === 'throttle')).toHaveLength(1);
  });

  it('rejects more than 20 steps and duplicate ids; a failed dependency yields 424', async () => {
    const step = (id: string, url = '/users?$top=1'): Record<string, unknown> => ({ id, method: 'GET', url });
    const tooMany = await emu.graphFetch('/$batch', { method: 'POST', body: { requests: Array.from({ length: 21 }, (_, i) => step(String(i))) } });
    expect(tooMany.status).toBe(400);
    const dup = await emu.graphFetch('/$batch', { method: 'POST', body: { requests: [step('1'), step('1')] } });
    expect(dup.status).toBe(400);
    const dep = await emu.graphFetch('/$batch', {
      method: 'POST',
      body: { requests: [step('a', '/users/00000000-0000-0000-0000-000000000000'), { ...step('b'), dependsOn: ['a'] }, { id: 'c', method: 'PATCH', url: `/users/${userIds()[0] ?? ''}`, body: { jobTitle: 'x' } }] },
    });
    expect(dep.status).toBe(200);
    const body = (await dep.json()) as { responses: { id: string; status: number; body: { error: { code: string } } }[] };
    const byId = new Map(body.responses.map((r) => [r.id, r]));
    expect(byId.get('a')?.status).toBe(404);
    expect(byId.get('b')?.status).toBe(424);
    expect(byId.get('c')?.status).toBe(400); // body without a Content-Type header
  });
});

describe('faults injected through the control API', () => {
  it('429 with Retry-After: raw clients see it, graph-client RetryHandler retries transparently', async () => {
    await emu.controlApi('/faults', { body: { rate429: 1, retryAfter: 1, count: 1 } });
    const raw = await emu.graphFetch('/users?$top=1');
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
    emu.ops.setFaults({ rate429: 1, retryAfter: 1, count: 1 });
    const started = Date.now();
    const page = (await emu.graphClient().api('/users').top(1).get()) as { value: unknown[] };
    expect(page.value).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emu.ops.requests({ path: '/v1.0/users' }).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('429 without Retry-After, 503 and 500 bodies', async () => {
    emu.ops.setFaults({ rate429: 1, retryAfter: null });
    const noHeader = await emu.graphFetch('/users?$top=1');
    expect(noHeader.status).toBe(429);
    expect(noHeader.headers.get('retry-after')).toBeNull();
    emu.ops.setFaults({ rate5xx: 1, status5xx: 503, retryAfter: 2 });
    const unavailable = await emu.graphFetch('/users?$top=1');
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('2');
    expect(((await unavailable.json()) as { error: { code: string } }).error.code).toBe('serviceNotAvailable');
    emu.ops.setFaults({ rate5xx: 1, status5xx: 500 });
    const broken = await emu.graphFetch('/users?$top=1');
    expect(broken.status).toBe(500);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('generalException');
  });

  it('latency delays answers; connection resets make fetch fail; path filters scope the faults', async () => {
    await emu.appToken();
    emu.ops.setFaults({ latencyMs: 300 });
    const t0 = Date.now();
    expect((await emu.graphFetch('/users?$top=1')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    emu.ops.setFaults({ resetRate: 1, paths: ['/v1.0/groups*'] });
    await expect(emu.graphFetch('/groups')).rejects.toThrow(/fetch failed/);
    expect((await emu.graphFetch('/users?$top=1')).status).toBe(200);
    expect(emu.ops.requests({ path: '/v1.0/groups' })[0]).toMatchObject({ status: 0, fault: 'reset' });
  });

  it("token endpoint faults only when its path is listed, with Entra's error body", async () => {
    const requestToken = () =>
      fetch(`${emu.authority}/${emu.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString(),
      });
    emu.ops.setFaults({ rate429: 1, retryAfter: 5, paths: ['*/oauth2/v2.0/token'] });
    const res = await requestToken();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({
      error: 'temporarily_unavailable',
      error_description: expect.stringMatching(/^AADSTS90024: .*\r\nTrace ID: \S+\r\nCorrelation ID: \S+\r\nTimestamp: /s) as unknown,
      error_codes: [90024],
      trace_id: expect.any(String) as unknown,
      correlation_id: expect.any(String) as unknown,
      timestamp: expect.any(String) as unknown,
      error_uri: 'https://login.microsoftonline.com/error?code=90024',
    });
    emu.ops.setFaults({ rate5xx: 1, status5xx: 500, retryAfter: null, paths: ['*/oauth2/v2.0/token'] });
    const failed = await requestToken();
    expect(failed.status).toBe(500);
    expect(failed.headers.get('retry-after')).toBeNull();
    expect(await failed.json()).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90033] });
  });

  it('GET /_emulator/requests returns the log with app ids; DELETE clears it', async () => {
    await emu.graphFetch('/users?$top=2&$select=id');
    const log = (await emu.controlApi('/requests?path=/v1.0/users')) as { requests: { method: string; query: string; status: number; appId: string }[] };
    expect(log.requests.at(-1)).toMatchObject({ method: 'GET', query: '$top=2&$select=id', status: 200, appId: emu.clientId });
    await emu.controlApi('/requests', { method: 'DELETE' });
    expect(((await emu.controlApi('/requests')) as { requests: unknown[] }).requests).toEqual([]);
  });
});
