import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { AppError } from './errors.js';
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

/** Commands by name; feature modules add theirs (e.g. `sync`). */
export const commands: Record<string, Command> = {
  serve: async () => {
    await serve();
    return undefined;
  },
  status,
};

const usage = () => `usage: ucbridge <${Object.keys(commands).join('|')}> [options]\n`;

export async function runCli(argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const [name, ...rest] = positionals;
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
