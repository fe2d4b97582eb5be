/**
 * `npm run bench -- presence [users…]` (default 10000 50000): presence sync against the emulator,
 * server, emulator and clients in this one process (figures include their CPU share).
 * - requests per cycle and cycle time (back to back, and spread over the 10 s cycle);
 * - p95 latency from an emulator presence change to the SSE event, background polling as deployed;
 * - fan-out of one status change to 5,000 open SSE streams (p95 delivery).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { extensionStatusRepo, presenceServiceFor, setExtensionStatus } from '../server/presence/index.js';
import { DEFAULT_TENANT, hashToken, newId } from '../server/store/index.js';
import { startTestEmulator } from '../test/support/emulator.js';
import { startTestServer, type TestServer } from '../test/support/server.js';
import { connectIntegration, insertSyncedExtensions, mailboxUsers, type PresenceUser } from '../test/server/presence/support.js';
import type { BenchResult } from './run.js';

const p = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;

/** A live session for an extension, written the way SSO issues one. */
async function sessionFor(server: TestServer, extensionId: string): Promise<string> {
  const token = `ucb_at_${randomBytes(24).toString('base64url')}`;
  const far = new Date(Date.now() + 3_600_000).toISOString();
  await server.store.db
    .insertInto('session')
    .values({ id: newId(), tenant_id: DEFAULT_TENANT, extension_id: extensionId, access_hash: hashToken(token), refresh_hash: hashToken(`${token}r`), family_id: newId(), access_expires_at: far, refresh_expires_at: far, revoked_at: null, revoked_reason: null, created_at: new Date().toISOString() })
    .execute();
  return token;
}

/** Opens an SSE stream; `onStatus` gets each status event's arrival time and body. */
function openStream(server: TestServer, token: string, onStatus: (at: number, data: string) => void): Promise<IncomingMessage> {
  const url = new URL('/api/v1/me/status/stream', server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data:'));
          if (data) onStatus(performance.now(), data.slice(5).trim());
        }
      });
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(users: number): Promise<BenchResult> {
  const emu = await startTestEmulator({ users: Math.ceil(users * 1.4), seed: 11 });
  const server = await startTestServer({ graphCaFile: emu.caFile });
  const streams: IncomingMessage[] = [];
  try {
    await connectIntegration(server.store, emu);
    const people: PresenceUser[] = await insertSyncedExtensions(server.store, emu.tenantId, mailboxUsers(emu, users));
    await server.admin('/api/v1/presence-mappings', { method: 'PUT', body: { extensionIds: 'all', mapping: { enabled: true } } });
    await server.admin('/api/v1/settings/sso', { method: 'PUT', body: { enabled: true } });
    const service = presenceServiceFor(server.store);
    if (!service) throw new Error('no presence service');
    await server.admin('/api/v1/settings/presence-sync', { method: 'PUT', body: { enabled: true, pollSeconds: 3600 } });
    const first = await service.pollTeams(DEFAULT_TENANT); // writes everyone's first state
    const since = emu.ops.requests().at(-1)?.seq ?? 0;
    const steady = await service.pollTeams(DEFAULT_TENANT);
    const calls = emu.ops.requests({ path: '/communications/getPresencesByUserId', since }).length;

    // Latency: background polling as deployed (10 s cycles, spread), 200 users with an open stream.
    await server.admin('/api/v1/settings/presence-sync', { method: 'PUT', body: { enabled: true, pollSeconds: 10 } });
    const watched = people.filter((_, i) => i % Math.floor(users / 200) === 0).slice(0, 200);
    const changedAt = new Map<string, number>();
    const latencies: number[] = [];
    for (const u of watched) {
      streams.push(await openStream(server, await sessionFor(server, u.extensionId), (at, data) => {
        const started = changedAt.get(u.extensionId);
        if (started !== undefined && data.includes('"do_not_disturb"')) {
          latencies.push(at - started);
          changedAt.delete(u.extensionId);
        }
      }));
    }
    const spreadStart = performance.now();
    for (const u of watched) emu.ops.setPresence(u.oid, { availability: 'Available', activity: 'Available' });
    // A known starting point: every watched user's Available must have been polled. A fixed wait
    // (11 s) was shorter than the worst gap between two polls of a user, so a user already
    // do_not_disturb whose Available went unseen got no event for the change below (Busy →
    // Available → DoNotDisturb inside one poll interval is no status change): "199 of 200".
    const settle = performance.now();
    const statuses = extensionStatusRepo(server.store.db);
    for (const u of watched) {
      while ((await statuses.get(DEFAULT_TENANT, u.extensionId)).status !== 'available' && performance.now() - settle < 60_000) await new Promise((r) => setTimeout(r, 100));
    }
    const before = new Map<string, string>();
    for (const u of watched) {
      await new Promise((r) => setTimeout(r, 25_000 / watched.length)); // changes arrive spread over 25 s
      before.set(u.extensionId, (await statuses.get(DEFAULT_TENANT, u.extensionId)).status);
      changedAt.set(u.extensionId, performance.now());
      emu.ops.setPresence(u.oid, { availability: 'DoNotDisturb', activity: 'Presenting' });
    }
    while (changedAt.size > 0 && performance.now() - spreadStart < 90_000) await new Promise((r) => setTimeout(r, 200));
    const spread = service.lastCycles(DEFAULT_TENANT).teams;
    for (const s of streams.splice(0)) s.destroy();

    // Fan-out: 5,000 streams of one extension, one change.
    const target = people[0] ?? people.at(-1);
    let fanout: Record<string, number> = {};
    if (target) {
      const token = await sessionFor(server, target.extensionId);
      const arrivals: number[] = [];
      let marker = '';
      for (let i = 0; i < 5000; i++) streams.push(await openStream(server, token, (at, data) => void (marker && data.includes(marker) && arrivals.push(at))));
      await new Promise((r) => setTimeout(r, 1000));
      marker = '"lunch"';
      const t0 = performance.now();
      await setExtensionStatus(server.store, DEFAULT_TENANT, target.extensionId, { status: 'lunch', source: 'admin' });
      while (arrivals.length < 5000 && performance.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 20));
      const delays = arrivals.map((a) => a - t0);
      fanout = { streams: 5000, delivered: delays.length, p50Ms: round(p(delays, 0.5)), p95Ms: round(p(delays, 0.95)), maxMs: round(Math.max(...delays)) };
    }
    return {
      users,
      requestsPerCycle: steady.batches,
      emulatorPresenceCallsPerCycle: calls,
      firstCycleMs: first.durationMs,
      steadyCycleBackToBackMs: steady.durationMs,
      spreadCycle: spread ? { cycleMs: spread.cycleMs, durationMs: spread.durationMs, requests: spread.batches, requestsPer30s: round((spread.batches * 30_000) / spread.cycleMs) } : null,
      changeToSse: { changes: watched.length, received: latencies.length, missed: [...changedAt.keys()].map((id) => ({ index: people.findIndex((q) => q.extensionId === id), statusBefore: before.get(id) })), p50Ms: round(p(latencies, 0.5)), p95Ms: round(p(latencies, 0.95)), maxMs: round(Math.max(...latencies)) },
      fanout,
    };
  } finally {
    for (const s of streams) s.destroy();
    await server.stop();
    await emu.close();
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const sizes = args.length > 0 ? args.map(Number) : [10_000, 50_000];
  const results: BenchResult[] = [];
  for (const size of sizes) {
    const result = await measure(size);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    results.push(result);
  }
  return { sizes: results };
}
