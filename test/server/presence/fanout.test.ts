import { connect as tcpConnect, createServer, type AddressInfo, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusBusFor, statusFanoutService, type StatusEvent } from '../../../server/presence/index.js';
import { openStore } from '../../../server/store/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../support/store.js';

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A TCP proxy in front of PostgreSQL that can refuse the next connections (closing them at once),
 * as a database that is still restarting does. Knows the local ports of the connections it made
 * upstream, by which their backends are found in pg_stat_activity.
 */
async function startPostgresProxy() {
  const upstream = new URL(TEST_DATABASE_URL);
  const ports = new Set<number>();
  const sockets = new Set<Socket>();
  let refuse = 0;
  let refused = 0;
  const server = createServer((socket) => {
    if (refuse > 0) {
      refuse--;
      refused++;
      socket.destroy();
      return;
    }
    const db = tcpConnect(Number(upstream.port || 5432), upstream.hostname, () => ports.add(db.localPort ?? 0));
    for (const s of [socket, db]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    socket.on('error', () => db.destroy());
    db.on('error', () => socket.destroy());
    socket.pipe(db).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(TEST_DATABASE_URL);
  url.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: url.toString(),
    /** Local ports of the upstream connections made so far. */
    ports: () => [...ports],
    refuseNext(count: number) {
      refuse = count;
    },
    refused: () => refused,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.runIf(process.env.UCBRIDGE_TEST_DB === 'postgres')('status fan-out between instances (LISTEN/NOTIFY)', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    database = createTestDatabase();
    a = await startTestServer({}, database);
    b = await startTestServer({}, database);
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await database.drop();
  });

  it('delivers a change made on one instance to listeners on the other, once and in order', async () => {
    const created = await a.admin('/api/v1/extensions', { body: { number: '2001', firstName: 'Fan', lastName: 'Out' } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const onB: StatusEvent[] = [];
    const onA: StatusEvent[] = [];
    // Observers, not stream subscriptions: the presence service ends the streams of extensions
    // that are not synced users (this one is local) whenever its sweep runs, which made this race.
    const offB = statusBusFor(b.store).observe((event) => event.status.extensionId === id && onB.push(event));
    const offA = statusBusFor(a.store).observe((event) => event.status.extensionId === id && onA.push(event));
    for (const status of ['do_not_disturb', 'away', 'available']) {
      const res = await a.admin(`/api/v1/extensions/${id}/status`, { method: 'PUT', body: { status } });
      expect(res.status).toBe(200);
      // Each change reaches b before the next is made (b reads the row when it hears of it).
      await until(() => onB.some((e) => e.status.status === status), `b to hear '${status}'`);
    }
    offA();
    offB();
    expect(onB.map((e) => [e.status.status, e.remote])).toEqual([
      ['do_not_disturb', true],
      ['away', true],
      ['available', true],
    ]);
    // a heard its own changes once each, not echoed back from b.
    expect(onA.map((e) => [e.status.status, e.remote])).toEqual([
      ['do_not_disturb', undefined],
      ['away', undefined],
      ['available', undefined],
    ]);
  });

  it('keeps trying to reconnect when the database is not back at the first attempt, and relays changes again once it is', async () => {
    const proxy = await startPostgresProxy();
    // Another instance on the same database, listening through the proxy.
    const store = await openStore(database);
    const fanout = statusFanoutService({ store, config: { databaseUrl: proxy.url, databaseSchema: database.databaseSchema } }, { log: { warn: () => undefined } });
    const created = await a.admin('/api/v1/extensions', { body: { number: '2002', firstName: 'Re', lastName: 'Connect' } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const heard: StatusEvent[] = [];
    const off = statusBusFor(store).observe((event) => event.status.extensionId === id && heard.push(event));
    /** Backends listening through the proxy, other than those on `old` ports. */
    const listeners = async (old: number[] = []) => {
      const ports = proxy.ports().filter((p) => !old.includes(p));
      if (ports.length === 0) return [];
      const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where client_port = any(${ports}) and query ilike 'listen %'`.execute(a.store.db);
      return rows.rows;
    };
    try {
      await fanout.start();
      expect(await listeners()).toHaveLength(1);
      // The database goes away (as in a restart) and refuses the first reconnect attempt.
      proxy.refuseNext(1);
      const before = proxy.ports();
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where client_port = any(${before})`.execute(a.store.db);
      await until(() => proxy.refused() === 1, 'the first reconnect attempt to be refused');
      await until(async () => (await listeners(before)).length > 0, 'a new listening connection');
      const res = await a.admin(`/api/v1/extensions/${id}/status`, { method: 'PUT', body: { status: 'lunch' } });
      expect(res.status).toBe(200);
      await until(() => heard.some((e) => e.status.status === 'lunch'), 'the change to be relayed after reconnecting');
      expect(heard.map((e) => [e.status.status, e.remote])).toEqual([['lunch', true]]);
    } finally {
      off();
      await fanout.stop();
      await store.close();
      await proxy.close();
    }
  });
});
