import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestDatabase } from '../../support/store.js';

export const ADMIN = 'scale-out-admin-token-0123456789abcdef';
export const OPERATOR = 'scale-out-operator-token-0123456789abcdef';

/** One `ucbridge serve` process on the shared PostgreSQL schema. */
export interface Instance {
  url: string;
  process: ChildProcess;
  output: string[];
  call(path: string, init?: { method?: string; body?: unknown; token?: string }): Promise<{ status: number; body: Record<string, unknown> }>;
  /** SIGKILL: no shutdown, no checkpoint, like a crashed machine. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

export async function startInstance(database: TestDatabase, env: Record<string, string> = {}): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/ucbridge.js', 'serve'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: database.dataDir,
      DATABASE_URL: database.databaseUrl ?? '',
      DATABASE_SCHEMA: database.databaseSchema ?? '',
      UCBRIDGE_SECRET_KEY: database.secretKey,
      UCBRIDGE_ADMIN_TOKEN: ADMIN,
      UCBRIDGE_OPERATOR_TOKEN: OPERATOR,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const url = `http://127.0.0.1:${port}`;
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const instance: Instance = {
    url,
    process: child,
    output,
    async call(path, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? ADMIN}` };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // A clean shutdown waits for open streams; do not let a test hang on one.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
  // Ready when /readyz answers (the store is migrated and the services started).
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ucbridge exited during start:\n${output.join('')}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return instance;
    if (Date.now() > end) {
      await instance.kill();
      throw new Error(`ucbridge did not start:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
