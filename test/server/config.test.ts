import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { AppError } from '../../server/errors.js';

function configError(env: NodeJS.ProcessEnv): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('config', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, dataDir: './data', logLevel: 'info', authRateLimit: 30, runHeartbeatSeconds: 15, runRetentionDays: 90, auditRetentionDays: 365, webhookLogRetentionDays: 30 });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads environment variables by their documented names', () => {
    const config = loadConfig({ PORT: '9000', DATABASE_URL: 'postgres://x@h/db', PUBLIC_URL: 'https://pbx.example.com/' });
    expect(config.port).toBe(9000);
    expect(config.databaseUrl).toBe('postgres://x@h/db');
    expect(config.publicUrl).toBe('https://pbx.example.com');
  });

  it('lists every problem at once, by variable name', () => {
    const error = configError({ PORT: 'eighty', PUBLIC_URL: 'http://insecure', UCBRIDGE_ADMIN_TOKEN: 'short', LOG_LEVEL: 'loud', RUN_HEARTBEAT_SECONDS: '0', RUN_RETENTION_DAYS: 'forever', WEBHOOK_LOG_RETENTION_DAYS: '0' });
    expect(error.code).toBe('config_invalid');
    const paths = error.details?.fields?.map((f) => f.path) ?? [];
    expect(paths).toEqual(
      expect.arrayContaining(['PORT (port)', 'PUBLIC_URL (publicUrl)', 'UCBRIDGE_ADMIN_TOKEN (adminToken)', 'LOG_LEVEL (logLevel)', 'RUN_HEARTBEAT_SECONDS (runHeartbeatSeconds)', 'RUN_RETENTION_DAYS (runRetentionDays)', 'WEBHOOK_LOG_RETENTION_DAYS (webhookLogRetentionDays)']),
    );
    expect(error.message).toContain('must start with https://');
    expect(error.message).toContain('at least 24 characters');
  });

  it('merges a JSON config file under the environment and rejects unknown keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ucb-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ port: 7000, logLevel: 'debug' }));
    expect(loadConfig({ UCBRIDGE_CONFIG: file, LOG_LEVEL: 'warn' })).toMatchObject({ port: 7000, logLevel: 'warn' });

    writeFileSync(file, JSON.stringify({ port: 7000, prot: 1 }));
    expect(configError({ UCBRIDGE_CONFIG: file }).message).toContain('unknown setting(s) prot');

    writeFileSync(file, '{not json');
    expect(configError({ UCBRIDGE_CONFIG: file }).message).toContain('must contain one JSON object');

    // JSON's own booleans in the file; text in the environment.
    writeFileSync(file, JSON.stringify({ trustProxy: true }));
    expect(loadConfig({ UCBRIDGE_CONFIG: file }).trustProxy).toBe(true);
    expect(loadConfig({ UCBRIDGE_CONFIG: file, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('checks that the Graph CA file exists', () => {
    expect(configError({ GRAPH_CA_FILE: '/nonexistent/ca.pem' }).message).toContain('GRAPH_CA_FILE');
  });
});
