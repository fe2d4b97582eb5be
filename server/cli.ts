import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { configureRunLiveness, getRun, startSync, waitForRun } from './directory/index.js';
import { AppError } from './errors.js';
import { closeGraphTransports } from './graph/index.js';
import { getIntegrationView } from './integration/index.js';
import { serve } from './main.js';
import { DEFAULT_TENANT, openStore, type Store } from './store/index.js';
import { requireTenant } from './tenants/index.js';

/** A CLI command: parses its own arguments, returns the exit code (none: it keeps running). */
export type Command = (args: string[]) => Promise<number | undefined>;

/** `--tenant <id>`: which PBX tenant a command acts on (the default one when left out). */
const tenantOption = { tenant: { type: 'string', default: DEFAULT_TENANT } } as const;

/** The default tenant is the server's own (created on its first start, maybe not yet); others must exist. */
async function chosenTenant(store: Store, id: string): Promise<string> {
  if (id !== DEFAULT_TENANT) await requireTenant(store, id);
  return id;
}

const lastRunOf = (store: Store, tenantId: string, kind: 'directory' | 'contacts') =>
  store.db
    .selectFrom('sync_run')
    .select(['id', 'status', 'trigger', 'finished_at'])
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', kind)
    .orderBy('created_at', 'desc')
    .executeTakeFirst()
    .then((run) => run ?? null);

/** `ucbridge status [--tenant <id>]`: integration state, extension count and the last directory and contacts runs. */
async function status(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: tenantOption, strict: true });
  const config = loadConfig();
  const store = await openStore(config);
  try {
    const tenantId = await chosenTenant(store, values.tenant);
    const integration = await getIntegrationView(store, tenantId);
    const extensions = await store.db
      .selectFrom('extension')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    const summary = {
      tenant: tenantId,
      integration: integration.status,
      entraTenantId: integration.tenantId,
      extensions: Number(extensions.n),
      lastSyncRun: await lastRunOf(store, tenantId, 'directory'),
      lastContactSyncRun: await lastRunOf(store, tenantId, 'contacts'),
    };
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return 0;
  } finally {
    await store.close();
  }
}

/** `ucbridge sync [--full] [--tenant <id>]`: one directory sync run, in this process; prints the run; exit 0 succeeded, 1 failed, 3 held. */
async function sync(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { full: { type: 'boolean', default: false }, ...tenantOption }, strict: true });
  const config = loadConfig();
  const store = await openStore(config);
  configureRunLiveness(store, config.runHeartbeatSeconds);
  try {
    const tenantId = await chosenTenant(store, values.tenant);
    const id = await startSync({ store, config }, tenantId, { trigger: 'manual', full: values.full });
    await waitForRun(store, id);
    const run = await getRun(store, tenantId, id);
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

const usage = () => `usage: ucbridge <${Object.keys(commands).join('|')}> [options]\n  status [--tenant <id>]\n  sync [--full] [--tenant <id>]\n`;

/** node:util parseArgs refusing an option (unknown, or missing its value). */
const isArgumentError = (error: unknown): error is Error => error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_');

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
    if (isArgumentError(error)) {
      process.stderr.write(`ucbridge ${name}: ${error.message}\n${usage()}`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof AppError) {
      process.stderr.write(`ucbridge: ${error.message}\n`);
      if (error.details?.hint) process.stderr.write(`hint: ${error.details.hint}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
