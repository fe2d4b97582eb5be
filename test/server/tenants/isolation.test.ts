import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureGraphClients } from '../../../server/graph/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { FAST_RETRY } from '../directory/world.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../../support/server.js';

const OPERATOR = 'test-operator-token-0123456789abcdef';
type Json = Record<string, unknown>;

let emu: Emulator;
let server: TestServer;

async function call(token: string | undefined, path: string, init: { method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: (text ? JSON.parse(text) : undefined) as Json };
}

/** Every `id` string anywhere in a JSON document. */
function idsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) idsIn(v, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'id' && typeof v === 'string') into.add(v);
      else idsIn(v, into);
    }
  }
  return into;
}

/** Admin routes of the app from its OpenAPI document: those that refuse a call without a token as admin routes do. */
async function adminRoutes(): Promise<Array<{ method: string; path: string }>> {
  const doc = (await call(undefined, '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const routes: Array<{ method: string; path: string }> = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      const probe = await call(undefined, path.replace(/\{[^}]+\}/g, 'x'), { method: method.toUpperCase(), ...(method === 'get' || method === 'delete' ? {} : { body: {} }) });
      if ((probe.body as { error?: { code?: string } } | undefined)?.error?.code === 'admin_auth_required') routes.push({ method: method.toUpperCase(), path });
    }
  }
  return routes;
}

async function waitForRuns(token: string) {
  for (;;) {
    const runs = (await call(token, '/api/v1/sync-runs')).body.items as Array<{ status: string }>;
    if (runs.length > 0 && runs.every((r) => r.status !== 'running' && r.status !== 'queued')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tenants: operator API and isolation', () => {
  let tokenA = '';
  let tokenB = '';

  beforeAll(async () => {
    emu = await startEmulator({ users: 12, seed: 5 });
    server = await startTestServer({ graphCaFile: emu.caFile, operatorToken: OPERATOR });
    configureGraphClients(server.store, FAST_RETRY);
  });
  afterAll(async () => {
    await server.stop();
    await emu.close();
  });

  it('lets only the operator token list, create and delete tenants', async () => {
    expect((await call(undefined, '/api/v1/tenants')).body).toMatchObject({ error: { code: 'operator_auth_required' } });
    expect((await call(TEST_ADMIN_TOKEN, '/api/v1/tenants')).body).toMatchObject({ error: { code: 'operator_token_invalid' } });
    const a = await call(OPERATOR, '/api/v1/tenants', { body: { id: 'tenant-a', name: 'PBX A' } });
    const b = await call(OPERATOR, '/api/v1/tenants', { body: { id: 'tenant-b', name: 'PBX B' } });
    expect([a.status, b.status]).toEqual([201, 201]);
    tokenA = String(a.body.adminToken);
    tokenB = String(b.body.adminToken);
    expect(tokenA).toMatch(/^ucb_admin_/);
    expect(tokenA).not.toBe(tokenB);
    const again = await call(OPERATOR, '/api/v1/tenants', { body: { id: 'tenant-a', name: 'again' } });
    expect([again.status, (again.body.error as Json).code]).toEqual([409, 'tenant_exists']);
    const bad = await call(OPERATOR, '/api/v1/tenants', { body: { id: 'Bad Id', name: 'x', extra: 1 } });
    expect(bad.status).toBe(400);
    const list = await call(OPERATOR, '/api/v1/tenants?limit=2');
    expect((list.body.items as Json[]).map((t) => t.id)).toEqual(['default', 'tenant-a']);
    const rest = await call(OPERATOR, `/api/v1/tenants?cursor=${String(list.body.nextCursor)}`);
    expect((rest.body.items as Json[]).map((t) => t.id)).toEqual(['tenant-b']);
    // The token is shown once: the list never carries it.
    expect(list.text + rest.text).not.toContain(tokenA);
    // Each tenant starts empty and is its own.
    expect((await call(tokenA, '/api/v1/integration')).status).not.toBe(401);
    expect((await call(tokenB, '/api/v1/extensions')).body.items).toEqual([]);
  });

  it("never shows or changes one tenant's data through another tenant's admin token, on any admin route", async () => {
    // Tenant A: connected to Microsoft, synced, with a webhook endpoint and its own settings.
    const connect = await call(tokenA, '/api/v1/integration', {
      method: 'PUT',
      body: { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph },
    });
    expect(connect.status).toBe(200);
    expect((await call(tokenA, '/api/v1/settings/group-sync', { method: 'PUT', body: { enabled: true } })).status).toBe(200);
    expect((await call(tokenA, '/api/v1/settings/user-sync', { method: 'PUT', body: { enabled: true } })).status).toBe(200);
    await waitForRuns(tokenA);
    const hook = await call(tokenA, '/api/v1/webhook-endpoints', { body: { url: 'https://pbx-a.example.test/hook' } });
    expect(hook.status).toBe(201);

    const routes = await adminRoutes();
    const gets = routes.filter((r) => r.method === 'GET');
    const lists = gets.filter((r) => !r.path.includes('{'));
    const byId = gets.filter((r) => r.path.includes('{'));
    expect(lists.length).toBeGreaterThan(5);
    expect(byId.length).toBeGreaterThan(3);

    // Everything tenant A can see, and every id in it.
    const seenByA = new Map<string, string>();
    for (const r of lists) seenByA.set(r.path, (await call(tokenA, r.path)).text);
    const idsOfA = idsIn([...seenByA.values()].map((t) => (t ? (JSON.parse(t) as unknown) : null)));
    const emails = [...(await call(tokenA, '/api/v1/extensions')).text.matchAll(/"email":"([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(emails.length).toBeGreaterThan(5);
    // `asked`: the id the caller sent, which an error message may name back without leaking anything.
    const leaks = (text: string, asked?: string) => [...idsOfA].filter((id) => id !== asked && text.includes(id)).concat(emails.filter((e) => text.includes(e)), text.includes('pbx-a.example.test') ? ['webhook url'] : []);

    // Lists with B's token: nothing of A.
    for (const r of lists) {
      const res = await call(tokenB, r.path);
      expect({ route: r.path, leaks: leaks(res.text) }).toEqual({ route: r.path, leaks: [] });
    }

    // Routes by id: A sees its resources; B gets 404 (or a 4xx) and nothing of A.
    let covered = 0;
    for (const r of byId) {
      for (const id of idsOfA) {
        const path = r.path.replace(/\{[^}]+\}/g, id);
        if ((await call(tokenA, path)).status !== 200) continue;
        covered++;
        const res = await call(tokenB, path);
        expect({ path, status: res.status, leaks: leaks(res.text, id) }).toEqual({ path, status: 404, leaks: [] });
      }
    }
    expect(covered).toBeGreaterThanOrEqual(idsOfA.size / 2);

    // Changes by id with B's token: refused, and A's data stays as it was.
    for (const r of routes.filter((x) => x.method !== 'GET' && x.path.includes('{'))) {
      for (const id of idsOfA) {
        const path = r.path.replace(/\{[^}]+\}/g, id);
        const res = await call(tokenB, path, { method: r.method, ...(r.method === 'DELETE' ? {} : { body: {} }) });
        expect({ path, method: r.method, ok: res.status < 300, leaks: leaks(res.text, id) }).toEqual({ path, method: r.method, ok: false, leaks: [] });
      }
    }
    // (Some GETs are not byte-stable, e.g. a consent URL with a fresh state: compare what is stored.)
    for (const path of ['/api/v1/extensions', '/api/v1/extension-groups', '/api/v1/webhook-endpoints', '/api/v1/integration', '/api/v1/settings/user-sync']) {
      expect({ path, body: (await call(tokenA, path)).text }).toEqual({ path, body: seenByA.get(path) });
    }
    const after = new Map<string, unknown>();
    for (const r of lists) after.set(r.path, JSON.parse((await call(tokenA, r.path)).text || 'null'));
    expect([...idsIn([...after.values()])].sort()).toEqual([...idsOfA].sort());
  }, 240_000); // every admin route × every id of A: a few thousand requests

  it('deletes a tenant with all its data, leaving the others', async () => {
    const before = await server.store.db.selectFrom('extension').select('tenant_id').where('tenant_id', '=', 'tenant-a').execute();
    expect(before.length).toBeGreaterThan(5);
    expect((await call(OPERATOR, '/api/v1/tenants/tenant-a', { method: 'DELETE' })).status).toBe(204);
    expect((await call(tokenA, '/api/v1/extensions')).body).toMatchObject({ error: { code: 'admin_token_invalid' } });
    for (const table of ['extension', 'extension_group', 'sync_run', 'integration', 'settings', 'admin_token', 'webhook_endpoint'] as const) {
      const rows = await server.store.db.selectFrom(table).select('tenant_id').where('tenant_id', '=', 'tenant-a').execute();
      expect({ table, rows: rows.length }).toEqual({ table, rows: 0 });
    }
    expect((await call(tokenB, '/api/v1/extensions')).status).toBe(200);
    expect((await call(OPERATOR, '/api/v1/tenants/tenant-a', { method: 'DELETE' })).status).toBe(404);
    expect((await call(OPERATOR, '/api/v1/tenants/default', { method: 'DELETE' })).status).toBe(409);
  });
});
