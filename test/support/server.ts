import { Writable } from 'node:stream';
import { loadConfig, type ConfigInput } from '../../server/config.js';
import { startServer, type ServerHandle } from '../../server/main.js';
import { createTestDatabase, type TestDatabase } from './store.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestServer extends ServerHandle {
  database: TestDatabase;
  /** Every log line the server wrote, for redaction checks. */
  logs: string[];
  /** fetch against the server with the admin token. */
  admin(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Starts a real server on an ephemeral loopback port with a fresh database of the dialect the
 * current test project runs (SQLite or PostgreSQL).
 */
export async function startTestServer(overrides: ConfigInput = {}, database?: TestDatabase): Promise<TestServer> {
  const db = database ?? createTestDatabase();
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: db.dataDir,
      databaseUrl: db.databaseUrl,
      databaseSchema: db.databaseSchema,
      secretKey: db.secretKey,
      adminToken: TEST_ADMIN_TOKEN,
      logLevel: 'info',
      ...overrides,
    },
  );
  const handle = await startServer(config, { logStream });
  return {
    ...handle,
    database: db,
    logs,
    admin(path, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...init.headers };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${handle.url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    },
    async stop() {
      await handle.close();
      if (!database) await db.drop();
    },
  };
}
