import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { configureRunLiveness, getRun, startSync, waitForRun } from './directory/index.js';
import { AppError } from './errors.js';
import { closeGraphTransports } from './graph/index.js';
import { getIntegrationView } from './integration/index.js';
import { serve } from './main.js';
import { DEFAULT_TENANT, openStore } from './store/index.js';

/** A CLI command: parses its own arguments, returns the exit code (none: it keeps running). */
export type Command = (args: string[]) => Promise<number | undefined>;

async function status(): Promise<number> {
  const config = loadConfig();
  const store = await openStore(config);
  try {
    const integration = await getIntegrationView(store, DEFAULT_TENANT);
    const extensions = await store.db
      .selectFrom('extension')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', DEFAULT_TENANT)
      .executeTakeFirstOrThrow();
    const lastRun = await store.db
      .selectFrom('sync_run')
      .select(['id', 'status', 'trigger', 'finished_at'])
      .where('tenant_id', '=', DEFAULT_TENANT)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    const summary = {
      integration: integration.status,
      entraTenantId: integration.tenantId,
      extensions: Number(extensions.n),
      lastSyncRun: lastRun ?? null,
    };
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return 0;
  } finally {
    await store.close();
  }
}

/** `ucbridge sync [--full]`: one directory sync run, in this process; prints the run; exit 0 succeeded, 1 failed, 3 held. */
async function sync(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { full: { type: 'boolean', default: false } }, strict: true });
  const config = loadConfig();
  const store = await openStore(config);
  configureRunLiveness(store, config.runHeartbeatSeconds);
  try {
    const id = await startSync({ store, config }, DEFAULT_TENANT, { trigger: 'manual', full: values.full });
    await waitForRun(store, id);
    const run = await getRun(store, DEFAULT_TENANT, id);
    process.stdout.write(JSON.stringify(run, null, 2) + '\n');
    if (run.status === 'held') process.stderr.write(`Held by the deletion guard: confirm with POST /api/v1/sync-runs/${id}/confirm\n`);
    return run.status === 'succeeded' ? 0 : run.status === 'held' ? 3 : 1;
  } finally {
    await store.close();
    await closeGraphTransports();
  }
}

/** Commands by name; feature modules add theirs (e.g. `sync`). */
export const commands: Record<string, Command> = {
  serve: async () => {
    await serve();
    return undefined;
  },
  status,
  sync,
};

const usage = () => `usage: ucbridge <${Object.keys(commands).join('|')}> [options]\n`;

export async function runCli(argv: string[]): Promise<void> {
  // The first word is the command; everything else (options included, e.g. `sync --full`) is its arguments.
  const at = argv.findIndex((arg) => !arg.startsWith('-'));
  const name = at === -1 ? undefined : argv[at];
  const rest = at === -1 ? argv : [...argv.slice(0, at), ...argv.slice(at + 1)];
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(usage());
    process.exitCode = 2;
    return;
  }
  try {
    const code = await command(rest);
    if (code !== undefined) process.exitCode = code;
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`ucbridge: ${error.message}\n`);
      if (error.details?.hint) process.stderr.write(`hint: ${error.details.hint}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
