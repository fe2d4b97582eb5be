import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.js';

/**
 * One schema for the whole configuration. Values come from an optional JSON config file
 * (`UCBRIDGE_CONFIG`, camelCase keys) overridden by environment variables. The server validates
 * once at start and refuses to run on any problem, listing every problem at once.
 */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const httpsUrl = z
  .url({ message: 'must be an absolute URL' })
  .refine((u) => u.startsWith('https://'), { message: 'must start with https:// (Microsoft only calls HTTPS URLs)' })
  .transform((u) => u.replace(/\/+$/, ''));

export const configSchema = z.strictObject({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('0.0.0.0'),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  /** Postgres schema to use (tests use one per run); default `public`. */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]*$/, { message: 'must be a lower-case SQL identifier' }).optional(),
  adminToken: z.string().min(24, { message: 'must be at least 24 characters' }).optional(),
  /** Enables the operator API (`/api/v1/tenants`): creates and removes tenants. */
  operatorToken: z.string().min(24, { message: 'must be at least 24 characters' }).optional(),
  secretKey: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,}(,[A-Za-z0-9+/=_-]{43,})*$/, {
      message: 'must be one or more comma-separated base64 keys of 32 bytes (the first one encrypts)',
    })
    .optional(),
  publicUrl: httpsUrl.optional(),
  smtpUrl: z.string().regex(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL' }).optional(),
  smtpFrom: z.string().min(3).default('ucbridge <no-reply@localhost>'),
  graphCaFile: z
    .string()
    .refine((p) => existsSync(p), { message: 'file does not exist' })
    .optional(),
  logLevel: z.enum(logLevels).default('info'),
  /** Requests per minute per client on sign-in endpoints. */
  authRateLimit: z.coerce.number().int().positive().default(30),
  /**
   * Seconds between a running sync's heartbeats; a run silent for four of them belongs to a dead
   * process, and another instance (or the next start) takes its work over.
   */
  runHeartbeatSeconds: z.coerce.number().int().min(1).max(300).default(15),
  /**
   * Days a finished sync run (with its per-object problems) stays in the run log; each tenant's
   * newest succeeded and newest failed run of every kind is kept however old.
   */
  runRetentionDays: z.coerce.number().int().min(1).max(3650).default(90),
  /** Days an audit log entry (admin changes, sign-ins and refusals) is kept. */
  auditRetentionDays: z.coerce.number().int().min(1).max(3650).default(365),
  /** Days a finished webhook delivery (delivered or given up) stays in the delivery log. */
  webhookLogRetentionDays: z.coerce.number().int().min(1).max(3650).default(30),
  // A boolean in the JSON config file, the text "true" or "false" in the environment.
  trustProxy: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .default(false),
});

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variable for each config key. */
export const envNames: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  databaseSchema: 'DATABASE_SCHEMA',
  adminToken: 'UCBRIDGE_ADMIN_TOKEN',
  operatorToken: 'UCBRIDGE_OPERATOR_TOKEN',
  secretKey: 'UCBRIDGE_SECRET_KEY',
  publicUrl: 'PUBLIC_URL',
  smtpUrl: 'SMTP_URL',
  smtpFrom: 'SMTP_FROM',
  graphCaFile: 'GRAPH_CA_FILE',
  logLevel: 'LOG_LEVEL',
  authRateLimit: 'AUTH_RATE_LIMIT',
  runHeartbeatSeconds: 'RUN_HEARTBEAT_SECONDS',
  runRetentionDays: 'RUN_RETENTION_DAYS',
  auditRetentionDays: 'AUDIT_RETENTION_DAYS',
  webhookLogRetentionDays: 'WEBHOOK_LOG_RETENTION_DAYS',
  trustProxy: 'TRUST_PROXY',
};

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AppError('config_invalid', `Cannot read config file ${path}: ${(cause as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new AppError('config_invalid', `Config file ${path} must contain one JSON object.`);
}

/** Builds and validates the config; throws one AppError naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigInput = {}): Config {
  const file = env.UCBRIDGE_CONFIG ? readConfigFile(resolve(env.UCBRIDGE_CONFIG)) : {};
  const fromEnv: Record<string, string> = {};
  for (const [key, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const result = configSchema.safeParse({ ...file, ...fromEnv, ...overrides });
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const name = key in envNames ? `${envNames[key as keyof Config]} (${key})` : key || '(config)';
    const message = issue.code === 'unrecognized_keys' ? `unknown setting(s) ${issue.keys.join(', ')}` : issue.message;
    return { path: name, message };
  });
  throw new AppError(
    'config_invalid',
    `Invalid configuration:\n${fields.map((f) => `  - ${f.path}: ${f.message}`).join('\n')}`,
    { fields },
  );
}
