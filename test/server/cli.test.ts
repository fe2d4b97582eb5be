import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/store.js';

const BIN = new URL('../../bin/ucbridge.js', import.meta.url).pathname;

let database: TestDatabase;

beforeAll(() => {
  database = createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

function databaseEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    DATA_DIR: database.dataDir,
    UCBRIDGE_SECRET_KEY: database.secretKey,
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl, DATABASE_SCHEMA: database.databaseSchema } : {}),
  };
}

/** Runs the real `ucbridge` binary; resolves with its exit code and output. */
async function ucbridge(args: string[], env: NodeJS.ProcessEnv, untilOutput?: RegExp) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (untilOutput?.test(stdout) && !child.killed) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('ucbridge command line', () => {
  it('refuses to start on bad config and names every problem', async () => {
    const result = await ucbridge(['serve'], { PATH: process.env.PATH, PORT: 'x', PUBLIC_URL: 'http://a' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT (port)');
    expect(result.stderr).toContain('PUBLIC_URL (publicUrl)');
  });

  it('serves, prints a generated admin token once, and shuts down cleanly on SIGTERM', async () => {
    const env = { ...databaseEnv(), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
    const first = await ucbridge(['serve'], env, /Admin page/);
    expect(first.code).toBe(0);
    const token = /Admin token \(shown once, store it now\): (ucb_admin_\S+)/.exec(first.stdout)?.[1];
    expect(token).toBeDefined();
    expect(first.stdout).toContain('shutting down');
    // Only the banner shows it: no log line carries the token.
    expect(first.stdout.split('\n').filter((l) => l.startsWith('{')).join('\n')).not.toContain(token);

    const second = await ucbridge(['serve'], env, /Admin page|Server listening/);
    expect(second.stdout).not.toContain('Admin token');
  });

  it('reports status from the store', async () => {
    const result = await ucbridge(['status'], databaseEnv());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ tenant: 'default', integration: 'disconnected', extensions: 0, lastSyncRun: null, lastContactSyncRun: null });
  });

  it('names an unknown --tenant and how to find the right id', async () => {
    const result = await ucbridge(['status', '--tenant', 'no-such-pbx'], databaseEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("There is no tenant 'no-such-pbx'");
    expect(result.stderr).toContain('hint: Tenant ids are listed by GET /api/v1/tenants');
  });

  it('refuses an unknown option with its name and the usage, without a stack trace', async () => {
    const result = await ucbridge(['sync', '--fulll'], databaseEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ucbridge sync: Unknown option '--fulll'");
    expect(result.stderr).toContain('sync [--full] [--tenant <id>]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('explains its usage for an unknown command', async () => {
    const result = await ucbridge(['frobnicate'], databaseEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: ucbridge <serve\|status/);
  });
});
