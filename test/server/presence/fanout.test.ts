import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusBusFor, type StatusEvent } from '../../../server/presence/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createTestDatabase, type TestDatabase } from '../../support/store.js';

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
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
});
