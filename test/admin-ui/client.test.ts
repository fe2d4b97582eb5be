import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiError, createTransport } from '../../server/admin-ui/api/client.js';

/** Answers each path's requests from a script of statuses, then 200; counts what arrived. */
const scripts = new Map<string, number[]>();
const arrived = new Map<string, number>();
const csrf = new Map<string, string | undefined>();
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    arrived.set(path, (arrived.get(path) ?? 0) + 1);
    csrf.set(path, req.headers['x-csrf-token'] as string | undefined);
    const status = scripts.get(path)?.shift() ?? 200;
    if (status === -1) {
      req.socket.destroy();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(status === 200 ? { ok: path } : { error: { code: `status_${status}`, message: `answered ${status}` } }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const transport = () => createTransport(() => undefined, base, [1, 1]);

describe('the admin page transport', () => {
  it('retries a read after a dropped connection or a 503, and answers the data', async () => {
    scripts.set('/api/v1/a', [-1, 503]);
    await expect(transport().request('GET', '/a')).resolves.toEqual({ ok: '/api/v1/a' });
    expect(arrived.get('/api/v1/a')).toBe(3);
  });

  it('gives up on a read after its retries, with the last error', async () => {
    scripts.set('/api/v1/b', [503, 502, 504]);
    const failure = transport().request('GET', '/b');
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 504, code: 'status_504' });
    expect(arrived.get('/api/v1/b')).toBe(3);
  });

  it('does not retry what a retry cannot fix, nor any change', async () => {
    scripts.set('/api/v1/c', [404]);
    await expect(transport().request('GET', '/c')).rejects.toMatchObject({ status: 404 });
    expect(arrived.get('/api/v1/c')).toBe(1);
    // A change carries the CSRF token from its cookie (the page's document).
    vi.stubGlobal('document', { cookie: 'other=1; ucb_admin_csrf=token%2F1' });
    try {
      scripts.set('/api/v1/d', [503]);
      await expect(transport().request('DELETE', '/d')).rejects.toMatchObject({ status: 503 });
      expect(arrived.get('/api/v1/d')).toBe(1);
      expect(csrf.get('/api/v1/d')).toBe('token/1');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
