/**
 * `npm run emulator -- --port 0 --users 500 --seed 1 [--groups N] [--host 127.0.0.1]
 *   [--allow-http-notifications] [--presence-ticker MS]`
 * Prints one JSON line when ready (authority, graph, control, tenantId, clientId, clientSecret,
 * adminClientId, adminClientSecret, caFile) and runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'public-host': { type: 'string' },
    users: { type: 'string', default: '500' },
    groups: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'ca-dir': { type: 'string' },
    'allow-http-notifications': { type: 'boolean', default: false },
    'presence-ticker': { type: 'string' },
  },
  strict: true,
});

const int = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
};

async function main(): Promise<void> {
  const opts: EmulatorOptions = {
    port: int(values.port, 'port') ?? 0,
    host: values.host,
    users: int(values.users, 'users') ?? 500,
    seed: int(values.seed, 'seed') ?? 1,
    allowHttpNotificationUrls: values['allow-http-notifications'],
  };
  const groups = int(values.groups, 'groups');
  if (groups !== undefined) opts.groups = groups;
  if (values['public-host']) opts.publicHost = values['public-host'];
  if (values['ca-dir']) opts.caDir = values['ca-dir'];
  const emulator = await startEmulator(opts);
  const ticker = int(values['presence-ticker'], 'presence-ticker');
  if (ticker) emulator.ops.startPresenceTicker(ticker);
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Handlers first: whoever reads the ready line may signal us at once.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(`${JSON.stringify(emulator.info())}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
