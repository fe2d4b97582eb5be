/**
 * `npm run bench -- scale-out [tenants=20] [users=2000] [instances=1,2]`: tenants × users synced
 * concurrently by 1 and by 2 `ucbridge serve` processes on one PostgreSQL (a fresh schema each),
 * against one in-process emulator. Each tenant's setup requests go to instance i mod N, so each
 * instance runs its share of the initial syncs. Prints wall time, users/s and the ratio.
 * Every ucbridge tenant syncs the same emulated Entra directory (one app, one Graph budget).
 */
import { createTestDatabase } from '../test/support/store.js';
import { startEmulator, type Emulator } from '../test/emulator/index.js';
import { OPERATOR, startInstance, type Instance } from '../test/server/scale-out/instances.js';
import type { BenchResult } from './run.js';

interface Round {
  instances: number;
  ms: number;
  extensions: number;
  usersPerSecond: number;
}

async function setUpTenant(instance: Instance, emu: Emulator, id: string, users: number): Promise<string> {
  const created = await instance.call('/api/v1/tenants', { body: { id, name: id }, token: OPERATOR });
  if (created.status !== 201) throw new Error(`tenant ${id} not created: ${JSON.stringify(created.body)}`);
  const token = String(created.body.adminToken);
  const integration = { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph };
  if ((await instance.call('/api/v1/integration', { method: 'PUT', body: integration, token })).status !== 200) throw new Error(`tenant ${id} not connected`);
  const sync = { enabled: true, maxExtensions: users + 100, numbering: { kind: 'auto', start: '10000', end: '99999' } };
  const saved = await instance.call('/api/v1/settings/user-sync', { method: 'PUT', body: sync, token });
  if (saved.status !== 200) throw new Error(`tenant ${id}: user sync not enabled: ${JSON.stringify(saved.body)}`);
  return token;
}

async function settled(instance: Instance, token: string): Promise<void> {
  for (;;) {
    const runs = (await instance.call('/api/v1/sync-runs', { token })).body.items as Array<{ status: string }>;
    if (runs.length > 0 && runs.every((r) => r.status !== 'running' && r.status !== 'queued')) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function count(instance: Instance, token: string): Promise<number> {
  const page = (await instance.call('/api/v1/extensions?limit=1000', { token })).body;
  let total = (page.items as unknown[]).length;
  let cursor = page.nextCursor as string | null;
  while (cursor) {
    const next = (await instance.call(`/api/v1/extensions?limit=1000&cursor=${cursor}`, { token })).body;
    total += (next.items as unknown[]).length;
    cursor = next.nextCursor as string | null;
  }
  return total;
}

async function round(emu: Emulator, processes: number, tenants: number, users: number): Promise<Round> {
  const database = createTestDatabase('postgres');
  const instances: Instance[] = [];
  try {
    for (let i = 0; i < processes; i++) instances.push(await startInstance(database, { GRAPH_CA_FILE: emu.caFile, LOG_LEVEL: 'warn' }));
    const at = (i: number) => instances[i % processes] as Instance;
    const started = performance.now();
    const tokens = await Promise.all(Array.from({ length: tenants }, (_, i) => setUpTenant(at(i), emu, `bench-${i}`, users)));
    await Promise.all(tokens.map((token, i) => settled(at(i), token)));
    const ms = Math.round(performance.now() - started);
    let extensions = 0;
    for (const [i, token] of tokens.entries()) extensions += await count(at(i), token);
    const result = { instances: processes, ms, extensions, usersPerSecond: Math.round((extensions / ms) * 1000) };
    process.stdout.write(`${processes} instance(s): ${tenants} tenants × ${users} users → ${extensions} extensions in ${ms} ms (${result.usersPerSecond} users/s)\n`);
    return result;
  } finally {
    for (const instance of instances) await instance.stop();
    await database.drop();
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const tenants = Number(args[0] ?? 20);
  const users = Number(args[1] ?? 2000);
  const counts = (args[2] ?? '1,2').split(',').map(Number);
  const emu = await startEmulator({ users, seed: 1 });
  try {
    // Not counted: warms the emulator (its first pages are much slower) and the JIT.
    await round(emu, 1, 2, users);
    const rounds: Round[] = [];
    for (const processes of counts) rounds.push(await round(emu, processes, tenants, users));
    const [one, two] = [rounds.find((r) => r.instances === 1), rounds.find((r) => r.instances === 2)];
    const ratio = one && two ? Math.round((two.usersPerSecond / one.usersPerSecond) * 100) / 100 : null;
    if (ratio !== null) process.stdout.write(`throughput ratio 2 instances / 1 instance: ${ratio}\n`);
    return { tenants, users, rounds, ratio };
  } finally {
    await emu.close();
  }
}
