import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ExtensionView, RunView } from '../../../server/directory/index.js';
import { configureGraphClients } from '../../../server/graph/index.js';
import { refreshChangeTracking } from '../../../server/jobs/index.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';

const FAST_RETRY = { retry: { baseDelayMs: 2, maxDelayMs: 20, maxRetryAfterMs: 20, maxAttempts: 12 } };

/**
 * An HTTPS front for the test server with a certificate from the emulator's CA, so the emulator
 * (like Graph) reaches PUBLIC_URL over HTTPS while the server itself listens on plain loopback.
 */
export async function startTlsProxy(emu: Emulator) {
  const leaf = emu.services.ca.issue(['127.0.0.1', 'localhost']);
  let target = '';
  const server = createServer({ key: leaf.keyPem, cert: leaf.certPem }, (req, res) => {
    const upstream = httpRequest(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwardTo(url: string) {
      target = url;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ChangeWorld {
  emu: Emulator;
  server: TestServer;
  publicUrl: string | undefined;
  json<T>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  extensions(): Promise<ExtensionView[]>;
  runs(): Promise<RunView[]>;
  /** Waits until no sync run is running or queued. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Emulator + server, connected, user sync on and its initial run done; PUBLIC_URL through a TLS proxy when asked. */
export async function startChangeWorld(options: {
  notifications: boolean;
  /** PUBLIC_URL to use instead of the TLS proxy's (e.g. one Graph cannot reach). */
  publicUrl?: string;
  emulator?: EmulatorOptions;
  schedule?: Record<string, unknown>;
  /** Runs after connecting, before user sync is switched on (register webhook endpoints here). */
  beforeSync?: (server: TestServer) => Promise<void>;
}): Promise<ChangeWorld> {
  const emu = await startEmulator({ users: 20, seed: 5, notificationDelayMs: 10, ...options.emulator });
  const proxy = options.notifications ? await startTlsProxy(emu) : undefined;
  const publicUrl = options.publicUrl ?? proxy?.url;
  const server = await startTestServer({ graphCaFile: emu.caFile, ...(publicUrl ? { publicUrl } : {}) });
  proxy?.forwardTo(server.url);
  configureGraphClients(server.store, FAST_RETRY);
  const json = async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await server.admin(path, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const world: ChangeWorld = {
    emu,
    server,
    publicUrl,
    json,
    extensions: async () => (await json<{ items: ExtensionView[] }>('/api/v1/extensions?limit=1000')).body.items,
    runs: async () => (await json<{ items: RunView[] }>('/api/v1/sync-runs?limit=1000')).body.items,
    async idle() {
      for (;;) {
        const runs = await world.runs();
        if (!runs.some((r) => r.status === 'running' || r.status === 'queued')) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      await server.stop();
      await proxy?.close();
      await emu.close();
    },
  };
  const connect = await json('/api/v1/integration', {
    method: 'PUT',
    body: { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph },
  });
  if (connect.status !== 200) throw new Error(`connect failed: ${JSON.stringify(connect.body)}`);
  if (options.schedule) await json('/api/v1/settings/schedule', { method: 'PUT', body: options.schedule });
  await options.beforeSync?.(server);
  const saved = await json('/api/v1/settings/user-sync', { method: 'PUT', body: { enabled: true, numbering: { kind: 'auto', start: '2000' } } });
  if (saved.status !== 200) throw new Error(`user sync not saved: ${JSON.stringify(saved.body)}`);
  await world.idle();
  // What the integration module is asked to call after connecting (see the report).
  await refreshChangeTracking(server.store, 'default');
  return world;
}

/** Polls until `read` returns something truthy. */
export async function eventually<T>(read: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
