import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serviceFactories, type BackgroundService } from '../../../server/main.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../../support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

describe('operations endpoints', () => {
  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: server.store.dialect });
  });

  it('is not ready while its background services are still starting', async () => {
    const seen: number[] = [];
    // The last service to start asks /readyz: the port is open, the services are not all running yet.
    const probe = (_ctx: unknown, app: { inject(o: { method: 'GET'; url: string }): Promise<{ statusCode: number }> }): BackgroundService => ({
      name: 'readiness-probe',
      async start() {
        seen.push((await app.inject({ method: 'GET', url: '/readyz' })).statusCode);
      },
      stop: () => undefined,
    });
    serviceFactories.push(probe);
    try {
      const starting = await startTestServer();
      try {
        expect(seen).toEqual([503]);
        expect((await fetch(`${starting.url}/readyz`)).status).toBe(200);
      } finally {
        await starting.stop();
      }
    } finally {
      serviceFactories.splice(serviceFactories.indexOf(probe), 1);
    }
  });

  it('exposes Prometheus metrics counting requests', async () => {
    await fetch(`${server.url}/healthz`);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('# TYPE ucbridge_http_requests_total counter');
    expect(text).toMatch(/ucbridge_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  });

  it('publishes an OpenAPI description of the API routes', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/integration');
  });

  it('sets security headers and echoes a request id', async () => {
    const res = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('admin authentication', () => {
  it('shows a disconnected integration to an authenticated admin', async () => {
    const res = await server.admin('/api/v1/integration');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'disconnected', tenantId: null });
  });

  it('refuses a missing token with admin_auth_required', async () => {
    const res = await fetch(`${server.url}/api/v1/integration`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'admin_auth_required' } });
  });

  it('refuses a wrong token with admin_token_invalid', async () => {
    const res = await fetch(`${server.url}/api/v1/integration`, { headers: { authorization: 'Bearer nope-nope-nope' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'admin_token_invalid' } });
  });

  it('answers unknown routes in the error envelope', async () => {
    const res = await fetch(`${server.url}/api/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'route_not_found' } });
  });
});

describe('request validation', () => {
  it('rejects malformed JSON, unknown fields and wrong types with specific codes', async () => {
    // A probe route with a strict body, on an app built exactly like the real one.
    const { createApp } = await import('../../../server/http/index.js');
    const app = await createApp({ ...server.ctx, config: { ...server.ctx.config, logLevel: 'silent' } });
    app.post(
      '/api/v1/probe',
      { config: { admin: true }, schema: { body: z.strictObject({ name: z.string().min(2), size: z.number().int() }) } },
      (request) => request.body,
    );
    await app.ready();
    const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };

    const malformed = await app.inject({ method: 'POST', url: '/api/v1/probe', headers, payload: '{"name": ' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'malformed_json' } });

    const unknown = await app.inject({ method: 'POST', url: '/api/v1/probe', headers, payload: { name: 'ab', size: 1, colour: 'red' } });
    expect(unknown.statusCode).toBe(400);
    const unknownError = unknown.json<{ error: { code: string; details: { fields: Array<{ path: string; message: string }> } } }>().error;
    expect(unknownError.code).toBe('validation_failed');
    expect(unknownError.details.fields).toHaveLength(1);
    expect(unknownError.details.fields[0]?.path).toBe('body');
    expect(unknownError.details.fields[0]?.message).toContain('colour');

    const wrong = await app.inject({ method: 'POST', url: '/api/v1/probe', headers, payload: { name: 'a', size: 'big' } });
    const fields = wrong.json<{ error: { details: { fields: Array<{ path: string }> } } }>().error.details.fields;
    expect(fields.map((f) => f.path).sort()).toEqual(['body.name', 'body.size']);

    const ok = await app.inject({ method: 'POST', url: '/api/v1/probe', headers, payload: { name: 'ab', size: 3 } });
    expect(ok.json()).toEqual({ name: 'ab', size: 3 });

    // Every successful admin change is in the audit log, with field names but not values.
    const audit = await app.inject({ method: 'GET', url: '/api/v1/audit-log', headers });
    const entries = audit.json<{ items: Array<{ action: string; actor: string; details: { fields: string[] } }> }>().items;
    expect(entries[0]).toMatchObject({ action: 'POST /api/v1/probe', actor: 'admin:env', details: { fields: ['name', 'size'] } });
    expect(entries).toHaveLength(1);
    await app.close();
  });
});

describe('logging', () => {
  it('never writes tokens, secrets or OAuth codes to the logs', async () => {
    await fetch(`${server.url}/api/v1/integration?code=oauth-code-value&state=xyz`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, cookie: 'session=cookie-secret-value' },
    });
    await fetch(`${server.url}/api/v1/integration`, { headers: { authorization: 'Bearer wrong-token-value' } });
    const all = server.logs.join('\n');
    expect(all).toContain('/api/v1/integration');
    for (const secret of [TEST_ADMIN_TOKEN, 'oauth-code-value', 'cookie-secret-value', 'wrong-token-value']) {
      expect(all).not.toContain(secret);
    }
  });
});
