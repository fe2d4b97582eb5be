import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../../server/directory/index.js';
import { tenantRepo } from '../../../server/store/index.js';
import { saveSettings, startWorld, type World } from './world.js';

const BIN = new URL('../../../bin/ucbridge.js', import.meta.url).pathname;

let world: World;
beforeAll(async () => {
  world = await startWorld({ emulator: { users: 40, seed: 53 } });
});
afterAll(() => world.stop());

/** `node bin/ucbridge.js …` against the test server's database, trusting the emulator. */
async function ucbridge(args: string[]) {
  const db = world.server.database;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATA_DIR: db.dataDir,
    UCBRIDGE_SECRET_KEY: db.secretKey,
    GRAPH_CA_FILE: world.emu.caFile,
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl, DATABASE_SCHEMA: db.databaseSchema } : {}),
  };
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** `ucbridge sync …`, with the run it printed. */
async function ucbridgeSync(args: string[] = []) {
  const { code, stdout, stderr } = await ucbridge(['sync', ...args]);
  const run = stdout.trim().startsWith('{') ? (JSON.parse(stdout) as RunView) : undefined;
  return { code, run, stderr };
}

const usersDeltaQueries = () => world.emu.ops.requests({ path: '/v1.0/users/delta' }).map((r) => r.query);

describe('ucbridge sync', () => {
  it('exits 1 with the reason when the integration is not connected', async () => {
    const result = await ucbridgeSync();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/not connected/);
    expect(result.stderr).toContain('PUT /api/v1/integration');
  });

  it('exits 0 after a succeeded run and prints it; later runs are incremental, --full is a full round', async () => {
    await world.connect();
    await saveSettings(world, 'user-sync', { enabled: true });
    const before = (await world.extensions()).length;
    const added = world.emu.ops.createUser({ displayName: 'Cli Newcomer', accountEnabled: true });

    const result = await ucbridgeSync();
    expect(result.code).toBe(0);
    expect(result.run).toMatchObject({ status: 'succeeded', trigger: 'manual', counts: { created: 1, deleted: 0, failed: 0 } });
    expect((await world.byEntra()).has(added.id)).toBe(true);
    expect((await world.extensions()).length).toBe(before + 1);
    expect(usersDeltaQueries().at(-1)).toMatch(/deltatoken/i);

    const full = await ucbridgeSync(['--full']);
    expect(full.code).toBe(0);
    expect(full.run?.counts).toEqual({ created: 0, updated: 0, deleted: 0, skipped: 0, failed: 0 });
    expect(usersDeltaQueries().at(-1)).not.toMatch(/deltatoken/i);
  });

  it('acts on the tenant --tenant names: another tenant of the same database is not connected', async () => {
    await tenantRepo(world.server.store.db).ensure('pbx-two', 'PBX two');
    const other = await ucbridge(['sync', '--tenant', 'pbx-two']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/not connected/);
    const status = await ucbridge(['status', '--tenant', 'pbx-two']);
    expect(JSON.parse(status.stdout)).toMatchObject({ tenant: 'pbx-two', integration: 'disconnected', extensions: 0, lastSyncRun: null });
    const own = await ucbridge(['status']);
    expect(JSON.parse(own.stdout)).toMatchObject({ tenant: 'default', integration: 'connected', lastSyncRun: { status: 'succeeded' } });
  });

  it('exits 3 when the deletion guard holds the run', async () => {
    const victims = world.emu.state.directory.users.filter((u) => u.deletedAt === null && u.data.accountEnabled).slice(0, 12);
    for (const u of victims) world.emu.ops.deleteUser(u.data.id);
    const result = await ucbridgeSync();
    expect(result.code).toBe(3);
    expect(result.run?.status).toBe('held');
    expect(result.run?.guard?.deletes).toBe(12);
    expect(result.stderr).toContain(`/api/v1/sync-runs/${result.run?.id}/confirm`);
    const confirmed = await world.json<RunView>(`/api/v1/sync-runs/${result.run?.id}/confirm`, { method: 'POST' });
    expect((await world.waitRun(confirmed.body.id)).status).toBe('succeeded');
  });

  it('exits 1 when the run fails', async () => {
    world.emu.ops.revokeSecret();
    const result = await ucbridgeSync();
    expect(result.code).toBe(1);
    expect(`${result.stderr}${result.run?.error ?? ''}`).toMatch(/secret/i);
    expect(result.stderr + JSON.stringify(result.run)).not.toContain(world.emu.clientSecret);
  });
});
