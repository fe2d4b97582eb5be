import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statusBusFor } from '../../../server/presence/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { startSsoEnv, type SessionBody, type SsoEnv } from '../sso/support.js';

let env: SsoEnv;
let session: SessionBody;
let extensionId: string;

beforeAll(async () => {
  env = await startSsoEnv({ tunables: { heartbeatMs: 60_000 } });
  extensionId = (await env.addExtension({ number: '2101' })).id;
  session = (await (await env.post('/api/v1/sso/token', { idToken: await env.idToken() })).json()) as SessionBody;
});
afterAll(() => env.stop());

const subscribers = () => statusBusFor(env.server.store).subscribed().filter((s) => s.tenantId === DEFAULT_TENANT && s.extensionId === extensionId);

/** Wraps a query builder chain so that its execution first waits for `gate`. */
function gated<T extends object>(builder: T, gate: Promise<unknown>): T {
  return new Proxy(builder, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (prop === 'execute' || prop === 'executeTakeFirst' || prop === 'executeTakeFirstOrThrow') {
        return async (...args: unknown[]) => {
          await gate;
          return method.apply(target, args);
        };
      }
      return (...args: unknown[]) => {
        const out = method.apply(target, args);
        return out !== null && typeof out === 'object' ? gated(out, gate) : out;
      };
    },
  });
}

/** Holds the server's next read of `table` until `gate` settles; `onHold` runs as the read starts. */
const patched = new Set<object>();
function holdNextRead(table: string, gate: Promise<unknown>, onHold: () => void): { used: () => boolean } {
  const db = env.server.store.db;
  const selectFrom = db.selectFrom.bind(db);
  patched.add(db);
  let used = false;
  Object.assign(db, {
    selectFrom: (from: string) => {
      const builder = (selectFrom as (t: string) => object)(from);
      if (used || from !== table) return builder;
      used = true;
      onHold();
      return gated(builder, gate);
    },
  });
  return { used: () => used };
}
afterEach(() => {
  // The patch is an own property over Kysely's prototype method.
  for (const db of patched) Reflect.deleteProperty(db, 'selectFrom');
  patched.clear();
});

/**
 * Opens the stream on a connection of its own while the server's next read of `table` is held,
 * drops that connection as the read starts, and waits until the server has seen it close; then
 * lets the read finish.
 */
async function dropWhileReading(table: string): Promise<{ held: boolean }> {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const httpServer = env.server.app.server;
  const serverClosed = new Promise<void>((resolve) => {
    httpServer.once('connection', (socket: Socket) => socket.once('close', () => resolve()));
  });
  const url = new URL('/api/v1/me/status/stream', env.server.url);
  const req = httpRequest(url, { agent: false, headers: { authorization: `Bearer ${session.accessToken}` } });
  req.on('error', () => undefined);
  const hold = holdNextRead(table, gate, () => req.destroy());
  req.end();
  await serverClosed;
  const held = hold.used();
  release();
  await settle();
  return { held };
}

async function settle(): Promise<void> {
  // Let the released handler run to its end (its remaining reads queue before these), then look.
  for (let i = 0; i < 5; i += 1) {
    await new Promise((r) => setImmediate(r));
    await env.server.store.db.selectFrom('extension').select('id').where('id', '=', extensionId).execute();
  }
}

describe('GET /api/v1/me/status/stream, a client that leaves at once', () => {
  it('a normal stream subscribes while open (the count this test relies on)', async () => {
    const ac = new AbortController();
    const response = await fetch(`${env.server.url}/api/v1/me/status/stream`, { headers: { authorization: `Bearer ${session.accessToken}` }, signal: ac.signal });
    expect(response.status).toBe(200);
    expect(subscribers()).toHaveLength(1);
    ac.abort();
    await expect(response.text()).rejects.toThrow();
    for (let i = 0; i < 100 && subscribers().length > 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(subscribers()).toHaveLength(0);
  });

  it('gone while the current status is read: no listener is left behind', async () => {
    // The stream has subscribed by then: the read of the current status comes after.
    expect(await dropWhileReading('extension_status')).toEqual({ held: true });
    expect(subscribers()).toHaveLength(0);
  });

  it('gone before the stream subscribed (while the session was checked): nothing is subscribed', async () => {
    expect(await dropWhileReading('session')).toEqual({ held: true });
    expect(subscribers()).toHaveLength(0);
  });
});
