import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedJobRunner, scheduleCron, scheduleSettings, type Job } from '../../../server/jobs/index.js';
import { openStore, type Store } from '../../../server/store/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/store.js';
import { ManualClock } from './manual-clock.js';

const MINUTE = 60_000;
let database: TestDatabase;
let store: Store;
const runners: EmbeddedJobRunner[] = [];

beforeAll(async () => {
  database = createTestDatabase();
  store = await openStore(database);
});
afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  await store.db.deleteFrom('job').execute();
  await store.db.deleteFrom('job_schedule').execute();
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

function runner(clock: ManualClock) {
  const r = new EmbeddedJobRunner(store.db, { clock, retryBaseMs: 1000 });
  runners.push(r);
  return r;
}

/** Moves the clock in steps, letting the runner do everything due at each step. */
async function walk(clock: ManualClock, r: EmbeddedJobRunner, until: string, stepMs = 15 * MINUTE) {
  const end = Date.parse(until);
  while (clock.now() < end) {
    clock.set(Math.min(end, clock.now() + stepMs));
    await r.tick();
  }
}

function recorder(clock: ManualClock) {
  const fired: Array<{ scheduledFor: unknown; ranAt: string; tenantId: string }> = [];
  const handler = (job: Job) => {
    fired.push({ scheduledFor: job.payload.scheduledFor, ranAt: new Date(clock.now()).toISOString(), tenantId: job.tenantId });
    return Promise.resolve();
  };
  return { fired, handler };
}

/** Schedules `settings` from `from` and walks the clock to `until`; returns when the runs fired. */
async function fires(from: string, settings: Record<string, unknown>, until: string, stepMs = 15 * MINUTE) {
  const clock = new ManualClock(Date.parse(from));
  const r = runner(clock);
  const { fired, handler } = recorder(clock);
  r.work('sync', handler);
  await r.start();
  await r.schedule('sync', 'default', scheduleCron(scheduleSettings.parse(settings)));
  await walk(clock, r, until, stepMs);
  // Each run started when the clock reached its due time (the walk stops exactly there).
  expect(fired.map((f) => f.ranAt)).toEqual(fired.map((f) => f.scheduledFor));
  return fired.map((f) => f.scheduledFor);
}

describe('schedules across DST changes', () => {
  it('fires daily at 00:30 Europe/Berlin before and after the spring-forward change', async () => {
    const times = await fires('2026-03-27T12:00:00Z', { time: '00:30', timeZone: 'Europe/Berlin' }, '2026-03-31T12:00:00Z');
    // 00:30 CET = 23:30 UTC until 29 March 02:00, then 00:30 CEST = 22:30 UTC.
    expect(times).toEqual(['2026-03-27T23:30:00.000Z', '2026-03-28T23:30:00.000Z', '2026-03-29T22:30:00.000Z', '2026-03-30T22:30:00.000Z']);
  });

  it('fires at the first valid minute when the local time does not exist (02:30 on spring-forward day)', async () => {
    const times = await fires('2026-03-28T12:00:00Z', { time: '02:30', timeZone: 'Europe/Berlin' }, '2026-03-30T12:00:00Z');
    expect(times).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('fires once at 01:30 New York on the day 01:30 happens twice (autumn), then an hour later in UTC', async () => {
    const times = await fires('2026-10-31T00:00:00Z', { time: '01:30', timeZone: 'America/New_York' }, '2026-11-03T00:00:00Z');
    expect(times).toEqual(['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });

  it('fires weekly only on the chosen weekdays', async () => {
    const weekly = { frequency: 'weekly', days: ['thu', 'mon'], time: '06:00', timeZone: 'Asia/Tokyo' };
    const times = await fires('2026-06-01T00:00:00Z', weekly, '2026-06-15T00:00:00Z', 60 * MINUTE);
    // 06:00 JST = 21:00 UTC the day before: Sunday and Wednesday evenings in UTC.
    expect(times).toEqual(['2026-06-03T21:00:00.000Z', '2026-06-07T21:00:00.000Z', '2026-06-10T21:00:00.000Z', '2026-06-14T21:00:00.000Z']);
  });
});

describe('restarts', () => {
  it('fires a schedule missed while stopped once on start, then keeps its times', async () => {
    const clock = new ManualClock(Date.parse('2026-01-10T12:00:00Z'));
    const first = runner(clock);
    first.work('sync', () => Promise.resolve());
    await first.start();
    await first.schedule('sync', 'default', { pattern: '30 0 * * *', timeZone: 'UTC' });
    await first.stop();

    clock.set(Date.parse('2026-01-13T09:00:00Z')); // three due times passed while down
    const second = runner(clock);
    const { fired, handler } = recorder(clock);
    second.work('sync', handler);
    await second.start();
    await second.schedule('sync', 'default', { pattern: '30 0 * * *', timeZone: 'UTC' }); // re-saved on start: unchanged
    await second.tick();
    expect(fired.map((f) => f.scheduledFor)).toEqual(['2026-01-11T00:30:00.000Z']);
    await walk(clock, second, '2026-01-14T12:00:00Z');
    expect(fired.map((f) => f.scheduledFor)).toEqual(['2026-01-11T00:30:00.000Z', '2026-01-14T00:30:00.000Z']);
  });

  it('runs queued jobs and re-runs one a dead process left running', async () => {
    const clock = new ManualClock(Date.parse('2026-01-10T12:00:00Z'));
    const first = new EmbeddedJobRunner(store.db, { clock, stopTimeoutMs: 10 });
    first.work('long', () => new Promise<void>(() => undefined)); // never ends: the process "dies" mid-run
    await first.start();
    await first.enqueue('long', 'default', { payload: { n: 1 } });
    await first.enqueue('later', 'default', { runAt: new Date(clock.now() + MINUTE) });
    await expect.poll(async () => (await store.db.selectFrom('job').select('state').where('name', '=', 'long').executeTakeFirst())?.state).toBe('active');
    await first.stop();

    clock.set(clock.now() + 2 * MINUTE);
    const second = runner(clock);
    const seen: Array<{ name: string; payload: unknown; attempt: number }> = [];
    const handler = (job: Job) => {
      seen.push({ name: job.name, payload: job.payload, attempt: job.attempt });
      return Promise.resolve();
    };
    second.work('long', handler);
    second.work('later', handler);
    await second.start();
    await second.tick();
    expect(seen.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'later', payload: {}, attempt: 1 },
      { name: 'long', payload: { n: 1 }, attempt: 2 },
    ]);
    expect(await store.db.selectFrom('job').selectAll().execute()).toEqual([]);
  });
});

describe('singleton keys', () => {
  it('coalesces queued requests and never runs two jobs of one key at once', async () => {
    const clock = new ManualClock(Date.parse('2026-01-10T12:00:00Z'));
    const r = runner(clock);
    let running = 0;
    let maxRunning = 0;
    const releases: Array<() => void> = [];
    const runs: string[] = [];
    const slow = (job: Job) =>
      new Promise<void>((resolve) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs.push(job.name);
        releases.push(() => {
          running--;
          resolve();
        });
      });
    r.work('full', slow);
    r.work('delta', slow);
    await r.start();
    const a = await r.enqueue('delta', 'default', { singletonKey: 'sync:default', runAt: new Date(clock.now() + 10 * MINUTE) });
    const b = await r.enqueue('delta', 'default', { singletonKey: 'sync:default' });
    expect(b).toBe(a); // absorbed, and moved earlier to now
    await expect.poll(() => runs.length).toBe(1);
    const c = await r.enqueue('delta', 'default', { singletonKey: 'sync:default' }); // queued behind the running one
    expect(c).not.toBe(a);
    await r.enqueue('full', 'default', { singletonKey: 'sync:default' });
    await r.enqueue('delta', 'other', { singletonKey: 'sync:other' }); // another tenant runs alongside
    await expect.poll(() => runs.length).toBe(2);
    expect(maxRunning).toBe(2);
    while (runs.length < 4 || running > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(runs.filter((n) => n === 'delta')).toHaveLength(3);
    expect(runs.filter((n) => n === 'full')).toHaveLength(1);
    expect(maxRunning).toBe(2);
  });

  it('retries a failed job with backoff up to its limit, then keeps it as failed', async () => {
    const clock = new ManualClock(Date.parse('2026-01-10T12:00:00Z'));
    const r = runner(clock);
    let attempts = 0;
    r.work('flaky', () => Promise.reject(new Error(`attempt ${++attempts} failed`)));
    await r.start();
    await r.enqueue('flaky', 'default', { retryLimit: 2 });
    await r.tick();
    expect(attempts).toBe(1);
    clock.set(clock.now() + 1000);
    await r.tick();
    expect(attempts).toBe(2);
    clock.set(clock.now() + 1000); // second retry waits 2 s
    await r.tick();
    expect(attempts).toBe(2);
    clock.set(clock.now() + 1000);
    await r.tick();
    expect(attempts).toBe(3);
    const row = await store.db.selectFrom('job').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'failed', attempt: 3, last_error: 'attempt 3 failed' });
  });
});
