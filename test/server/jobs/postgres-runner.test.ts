import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobsSchemaName, PostgresJobRunner, type Job, type PostgresRunnerOptions } from '../../../server/jobs/index.js';
import { openStore, type Store } from '../../../server/store/index.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../support/store.js';

/** Waits for `check` to hold, polling (the runners poll pg-boss every half second here). */
async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.runIf(process.env.UCBRIDGE_TEST_DB === 'postgres')('PostgresJobRunner (pg-boss)', () => {
  let database: TestDatabase;
  let store: Store;
  const runners: PostgresJobRunner[] = [];

  beforeAll(async () => {
    database = createTestDatabase();
    store = await openStore(database);
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await store.db.deleteFrom('job_schedule').execute();
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  /** One "instance": its own pg-boss and pool on the shared schema (or on `on`, another deployment's). */
  function instance(options: Partial<PostgresRunnerOptions> = {}, on: Store = store) {
    const errors: unknown[] = [];
    const r = new PostgresJobRunner(on.db, {
      connectionString: TEST_DATABASE_URL,
      schema: jobsSchemaName(database.databaseSchema),
      pollSeconds: 0.5,
      retryBaseMs: 1000,
      busyRetryMs: 300,
      stopTimeoutMs: 1000,
      onError: (error) => errors.push(error),
      ...options,
    });
    runners.push(r);
    return r;
  }

  it('coalesces queued jobs with the same key and runs them once', async () => {
    const a = instance();
    const ran: Job[] = [];
    const name = `coalesce-${randomUUID().slice(0, 8)}`;
    a.work(name, (job) => {
      ran.push(job);
      return Promise.resolve();
    });
    await a.start();
    const later = new Date(Date.now() + 60_000);
    const first = await a.enqueue(name, 't1', { singletonKey: 'k1', runAt: later, payload: { n: 1 } });
    const second = await a.enqueue(name, 't1', { singletonKey: 'k1', payload: { n: 2 } });
    expect(second).toBe(first);
    await until(() => ran.length === 1, 'the coalesced job');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(ran.map((j) => [j.id, j.tenantId, j.payload])).toEqual([[first, 't1', { n: 1 }]]);
  });

  it('never runs two jobs of one key at once across instances, and runs the one queued behind', async () => {
    const name = `exclusive-${randomUUID().slice(0, 8)}`;
    let running = 0;
    let most = 0;
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handler = async (job: Job) => {
      running++;
      most = Math.max(most, running);
      if (job.payload.first === true) await gate;
      running--;
      done.push(String(job.payload.first));
    };
    const [a, b] = [instance(), instance()];
    a.work(name, handler);
    b.work(name, handler);
    await Promise.all([a.start(), b.start()]);
    await a.enqueue(name, 't1', { singletonKey: 'tenant-sync', payload: { first: true } });
    await until(() => running === 1, 'the first job to start');
    await b.enqueue(name, 't1', { singletonKey: 'tenant-sync', payload: { first: false } });
    // Both instances poll meanwhile: the second job must wait for the first.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(done).toEqual([]);
    release();
    await until(() => done.length === 2, 'both jobs');
    expect(done).toEqual(['true', 'false']);
    expect(most).toBe(1);
  });

  it('runs one key at once in two deployments that share the database in their own schemas', async () => {
    const other = createTestDatabase();
    const otherStore = await openStore(other);
    try {
      const name = `deployments-${randomUUID().slice(0, 8)}`;
      let running = 0;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handler = async () => {
        running++;
        await gate;
        running--;
      };
      const a = instance();
      const b = instance({ schema: jobsSchemaName(other.databaseSchema) }, otherStore);
      a.work(name, handler);
      b.work(name, handler);
      await Promise.all([a.start(), b.start()]);
      await a.enqueue(name, 'default', { singletonKey: 'tenant-sync' });
      await b.enqueue(name, 'default', { singletonKey: 'tenant-sync' });
      // Advisory locks are database-wide: an unscoped key would keep b's job waiting for a's.
      await until(() => running === 2, 'each deployment to run its own job');
      release();
      await until(() => running === 0, 'both jobs to finish');
    } finally {
      for (const r of runners.splice(0)) await r.stop();
      await otherStore.close();
      await other.drop();
    }
  });

  it('retries a failed job with backoff, counting attempts', async () => {
    const a = instance();
    const name = `retry-${randomUUID().slice(0, 8)}`;
    const attempts: Array<{ attempt: number; at: number }> = [];
    a.work(name, (job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      return job.attempt < 3 ? Promise.reject(new Error('flaky')) : Promise.resolve();
    });
    await a.start();
    await a.enqueue(name, 't1', { retryLimit: 3 });
    await until(() => attempts.length === 3, 'three attempts', 30_000);
    expect(attempts.map((x) => x.attempt)).toEqual([1, 2, 3]);
  });

  it('hands a job whose instance went away mid-run to another instance once it expires', async () => {
    const name = `takeover-${randomUUID().slice(0, 8)}`;
    const seen: Array<{ by: string; attempt: number }> = [];
    const options = { expireSeconds: 1, maintenanceSeconds: 1 };
    const a = instance({ ...options, concurrency: 1, stopTimeoutMs: 200 });
    a.work(name, (job) => {
      seen.push({ by: 'a', attempt: job.attempt });
      return new Promise<void>(() => undefined); // never finishes, like a process that died
    });
    await a.start();
    await a.enqueue(name, 't1');
    await until(() => seen.length === 1, 'instance a to take the job');
    await a.stop(); // a takes no more work; its job is still active in the queue
    const b = instance(options);
    b.work(name, (job) => {
      seen.push({ by: 'b', attempt: job.attempt });
      return Promise.resolve();
    });
    await b.start();
    await until(() => seen.length === 2, 'instance b to take the job over');
    expect(seen).toEqual([
      { by: 'a', attempt: 1 },
      { by: 'b', attempt: 2 },
    ]);
  });

  it('does not expire a long job that outlives expireSeconds: no retry beside it, nothing queued behind it', async () => {
    const [long, short] = [`long-${randomUUID().slice(0, 8)}`, `short-${randomUUID().slice(0, 8)}`];
    const seen: Record<string, number[]> = { [long]: [], [short]: [] };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handler = async (job: Job) => {
      seen[job.name]?.push(job.attempt);
      await gate;
    };
    const a = instance({ expireSeconds: 1, maintenanceSeconds: 1 });
    a.work(long, handler, { long: true });
    a.work(short, handler);
    await a.start();
    const id = await a.enqueue(long, 't1', { singletonKey: 'tenant-sync' });
    await until(() => seen[long]?.length === 1, 'the long job to start');
    // Started after the long job with the same expiry: once it has been expired and retried, so
    // would the long job have been.
    await a.enqueue(short, 't1');
    await until(() => seen[short]?.includes(2) === true, 'the short job to expire and be retried');
    const table = sql.table(`${jobsSchemaName(database.databaseSchema)}.job`);
    const rows = async () => (await sql<{ id: string; state: string; retry_count: number }>`select id, state, retry_count from ${table} where name = ${long}`.execute(store.db)).rows;
    expect(await rows()).toEqual([{ id, state: 'active', retry_count: 0 }]);
    release();
    await expect.poll(rows).toEqual([{ id, state: 'completed', retry_count: 0 }]);
    expect(seen[long]).toEqual([1]);
  });

  it('fires a due tenant schedule once across instances, with its time zone', async () => {
    const name = `schedule-${randomUUID().slice(0, 8)}`;
    const fired: Job[] = [];
    const handler = (job: Job) => {
      fired.push(job);
      return Promise.resolve();
    };
    const setup = instance();
    await setup.start();
    await setup.schedule(name, 't1', { pattern: '30 0 * * *', timeZone: 'Europe/Berlin' }, { singletonKey: 'k' });
    const next = await setup.nextScheduled(name, 't1');
    // 00:30 in Berlin is 23:30 or 22:30 UTC.
    expect(next?.getUTCMinutes()).toBe(30);
    expect([22, 23]).toContain(next?.getUTCHours());
    // Pretend the due time passed while everything was down.
    const missed = '2026-01-01T23:30:00.000Z';
    await store.db.updateTable('job_schedule').set({ next_run_at: missed }).where('name', '=', name).execute();
    const [a, b] = [instance(), instance()];
    a.work(name, handler);
    b.work(name, handler);
    await Promise.all([a.start(), b.start()]);
    await until(() => fired.length === 1, 'the missed schedule');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fired.map((j) => [j.tenantId, j.payload.scheduledFor])).toEqual([['t1', missed]]);
    expect((await a.nextScheduled(name, 't1'))?.getTime()).toBeGreaterThan(Date.now());
  });
});
