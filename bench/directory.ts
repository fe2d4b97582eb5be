/**
 * `npm run bench -- directory [10000,100000]`: full directory sync of N users with 500 groups, then
 * an incremental run after 100 changes; against the emulator in a child process (so its memory and
 * CPU are not counted as ours), SQLite store (PostgreSQL when DATABASE_URL is set: a fresh schema,
 * dropped afterwards). Prints time, Graph requests, peak RSS and the ratio to paging the same data
 * raw (users delta + groups delta with members, no processing; paged before and after the sync),
 * with the emulator's CPU and the floor the machine's cores put under that ratio.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { z } from 'zod';
import { entraGroup, entraUser, getRun, GROUP_SELECT, saveGroupSync, saveUserSync, startSync, USER_SELECT, waitForRun } from '../server/directory/index.js';
import { closeGraphTransports, graphForTenant, transportFor } from '../server/graph/index.js';
import { connect } from '../server/integration/index.js';
import { DEFAULT_TENANT, openStore } from '../server/store/index.js';
import type { BenchResult } from './run.js';

const emulatorInfo = z.object({ authority: z.string(), graph: z.string(), control: z.string(), tenantId: z.string(), clientId: z.string(), clientSecret: z.string(), caFile: z.string() });
type EmulatorInfo = z.infer<typeof emulatorInfo>;

async function startEmulatorProcess(users: number): Promise<{ info: EmulatorInfo; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--users', String(users), '--groups', '500', '--seed', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (line.trim().startsWith('{')) return { info: emulatorInfo.parse(JSON.parse(line)), child };
  }
  throw new Error('emulator did not start');
}

/**
 * CPU time of another process so far (Linux: /proc/<pid>/stat, fields utime and stime in USER_HZ
 * ticks, which is 100 on every Linux architecture Node supports); undefined elsewhere.
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Measured<T> {
  value: T;
  ms: number;
  cpuMs: number;
  /** The emulator's CPU meanwhile (it shares this machine's cores with us). */
  emulatorCpuMs: number | undefined;
  peakRssMb: number;
}

/** Time, CPU (all of this process's threads: the SQLite checkpoint thread too), the emulator's CPU and peak RSS (sampled every 25 ms) while `work` runs. */
async function measured<T>(emulatorPid: number | undefined, work: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 25);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const emulatorCpu = processCpuMs(emulatorPid);
  try {
    const value = await work();
    const used = process.cpuUsage(cpu);
    const emulatorUsed = processCpuMs(emulatorPid);
    return {
      value,
      ms: Math.round(performance.now() - started),
      cpuMs: Math.round((used.user + used.system) / 1000),
      emulatorCpuMs: emulatorCpu === undefined || emulatorUsed === undefined ? undefined : emulatorUsed - emulatorCpu,
      peakRssMb: Math.round(Math.max(peak, process.memoryUsage.rss()) / 2 ** 20),
    };
  } finally {
    clearInterval(timer);
  }
}

async function control(info: EmulatorInfo, path: string, method: string, body?: unknown, retried = false): Promise<unknown> {
  // A pooled connection the emulator closed while idle fails once: retry on a fresh one.
  const res = await transportFor(info.caFile).fetch(`${info.control}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }).catch((error: unknown) => {
    if (retried) throw error;
    return undefined;
  });
  if (!res) return control(info, path, method, body, true);
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status}`);
  return res.json();
}

async function benchSize(users: number): Promise<BenchResult> {
  const { info, child } = await startEmulatorProcess(users);
  // Killed whatever fails: a live emulator would hold the output pipe open and `npm run bench` would never end.
  try {
    return await benchAgainst(info, child, users);
  } finally {
    child.kill('SIGTERM');
  }
}

async function benchAgainst(info: EmulatorInfo, child: ChildProcess, users: number): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ucbridge-bench-'));
  const databaseUrl = process.env.DATABASE_URL;
  const databaseSchema = databaseUrl ? `bench_${randomBytes(4).toString('hex')}` : undefined;
  const store = await openStore({ dataDir, databaseUrl, databaseSchema, secretKey: databaseUrl ? randomBytes(32).toString('base64') : undefined });
  const config = { graphCaFile: info.caFile, smtpUrl: undefined, smtpFrom: 'bench <bench@localhost>' };
  const deps = { store, config };
  try {
    await saveUserSync(deps, DEFAULT_TENANT, { enabled: true, maxExtensions: 1_000_000, numbering: { kind: 'auto', start: '100000' } }, 'keep');
    await saveGroupSync(deps, DEFAULT_TENANT, { enabled: true, maxGroups: 500 }, 'keep');
    await connect(deps, DEFAULT_TENANT, { tenantId: info.tenantId, clientId: info.clientId, clientSecret: info.clientSecret, authorityHost: info.authority, graphEndpoint: info.graph });
    const graph = await graphForTenant(deps, DEFAULT_TENANT);

    const pageRaw = () =>
      measured(child.pid, async () => {
        let n = 0;
        const headers = { Prefer: 'odata.maxpagesize=999' };
        for await (const page of graph.delta('/users/delta', { item: entraUser, select: USER_SELECT, headers })) n += page.items.length;
        for await (const page of graph.delta('/groups/delta', { item: entraGroup, select: GROUP_SELECT, headers })) n += page.items.length;
        return n;
      });
    const rawBefore = await pageRaw();

    const run = async () => {
      const before = graph.stats.requests;
      const result = await measured(child.pid, async () => {
        const id = await startSync(deps, DEFAULT_TENANT, { trigger: 'manual', graph });
        await waitForRun(store, id);
        return getRun(store, DEFAULT_TENANT, id);
      });
      return { ...result, requests: graph.stats.requests - before };
    };
    const full = await run();
    // Paged again right after the sync: this machine's speed drifts between runs by more than the
    // effect measured, so the ratio is taken to the mean of the two.
    const rawAfter = await pageRaw();
    const mean = (a: number, b: number) => Math.round((a + b) / 2);
    const emulatorCpuMs = rawBefore.emulatorCpuMs === undefined || rawAfter.emulatorCpuMs === undefined ? undefined : mean(rawBefore.emulatorCpuMs, rawAfter.emulatorCpuMs);
    const raw = { ms: mean(rawBefore.ms, rawAfter.ms), cpuMs: mean(rawBefore.cpuMs, rawAfter.cpuMs), emulatorCpuMs, value: rawBefore.value, peakRssMb: Math.max(rawBefore.peakRssMb, rawAfter.peakRssMb) };

    const listed = (await control(info, '/users?limit=200&offset=10', 'GET')) as { users?: Array<{ id: string }> } | Array<{ id: string }>;
    const ids = (Array.isArray(listed) ? listed : (listed.users ?? [])).map((u) => u.id);
    for (const id of ids.slice(0, 60)) await control(info, `/users/${id}`, 'PATCH', { jobTitle: 'Changed for bench' });
    for (const id of ids.slice(60, 80)) await control(info, `/users/${id}?permanent=true`, 'DELETE');
    for (let i = 0; i < 20; i++) await control(info, '/users', 'POST', { displayName: `Bench New ${i}`, mailNickname: `bench.new.${i}`, accountEnabled: true });
    const incremental = await run();

    // The ratio no scheduling could beat here: the full sync's CPU and the emulator's, spread
    // perfectly over this machine's cores (a PostgreSQL server's own CPU is not counted).
    const cores = availableParallelism();
    const floor = full.emulatorCpuMs === undefined ? undefined : (full.cpuMs + full.emulatorCpuMs) / cores / raw.ms;
    const result = {
      store: store.dialect,
      users,
      groups: 500,
      cores,
      raw: { ms: raw.ms, cpuMs: raw.cpuMs, emulatorCpuMs: raw.emulatorCpuMs, objects: raw.value, peakRssMb: raw.peakRssMb, samplesMs: [rawBefore.ms, rawAfter.ms] },
      full: { ms: full.ms, cpuMs: full.cpuMs, emulatorCpuMs: full.emulatorCpuMs, requests: full.requests, peakRssMb: full.peakRssMb, status: full.value.status, counts: full.value.counts },
      incremental: { ms: incremental.ms, requests: incremental.requests, status: incremental.value.status, counts: incremental.value.counts },
      ratioToRawPaging: Number((full.ms / raw.ms).toFixed(2)),
      ratioFloor: floor === undefined ? undefined : Number(floor.toFixed(2)),
    };
    const emulatorCpu = (ms: number | undefined) => (ms === undefined ? '' : `, emulator CPU ${ms} ms`);
    process.stdout.write(
      `${users} users (${store.dialect}): raw paging ${raw.ms} ms (before/after the sync: ${rawBefore.ms}/${rawAfter.ms} ms, CPU ${raw.cpuMs} ms${emulatorCpu(raw.emulatorCpuMs)}) | ` +
        `full sync ${full.ms} ms (CPU ${full.cpuMs} ms${emulatorCpu(full.emulatorCpuMs)}), ${full.requests} requests, peak RSS ${full.peakRssMb} MB, ratio ${result.ratioToRawPaging}` +
        `${result.ratioFloor === undefined ? '' : ` (floor on ${cores} cores: ${result.ratioFloor})`} | ` +
        `incremental (100 changes) ${incremental.ms} ms, ${incremental.requests} requests, ${JSON.stringify(incremental.value.counts)}\n`,
    );
    return result;
  } finally {
    if (databaseSchema) await sql`drop schema ${sql.id(databaseSchema)} cascade`.execute(store.db);
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const sizes = (args[0] ?? '10000,100000').split(',').map(Number);
  const results: BenchResult[] = [];
  for (const size of sizes) results.push(await benchSize(size));
  await closeGraphTransports();
  return { sizes: results };
}
