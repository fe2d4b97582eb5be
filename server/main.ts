import type { DestinationStream } from 'pino';
import { adminSessionRepo } from './admin-session/index.js';
import { loadConfig, type Config } from './config.js';
import { contactSyncService } from './contacts/index.js';
import { configureRunLiveness, directoryService } from './directory/index.js';
import { recordGraphMetrics } from './graph/index.js';
import { housekeepingService } from './housekeeping/index.js';
import { createApp, type AppContext, type ZodApp } from './http/index.js';
import { handleGraphNotifications, jobsService } from './jobs/index.js';
import { createMetrics } from './metrics/index.js';
import { onPresenceNotifications, PRESENCE_RESOURCE, presenceService, statusFanoutService } from './presence/index.js';
import { adminTokenRepo, DEFAULT_TENANT, generateAdminToken, openStore, tenantRepo, type Store } from './store/index.js';
import { webhookService } from './webhooks/index.js';

// Notifications of delegated presence subscriptions arrive at jobs' route and go to presence
// (presence cannot import jobs at runtime: jobs → directory → sso → presence).
handleGraphNotifications(PRESENCE_RESOURCE, onPresenceNotifications);

/** Something that runs beside the HTTP server (schedulers, pollers) and stops with it. */
export interface BackgroundService {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

/** Factories for background services; feature modules append theirs. */
export const serviceFactories: Array<(ctx: AppContext, app: ZodApp) => BackgroundService> = [
  webhookService,
  (ctx, app) => directoryService({ ...ctx, log: app.log }),
  (ctx, app) => contactSyncService({ ...ctx, log: app.log }),
  jobsService,
  presenceService,
  statusFanoutService,
  (ctx, app) => housekeepingService({ ...ctx, log: app.log }),
];

export interface ServerHandle {
  app: ZodApp;
  ctx: AppContext;
  store: Store;
  /** Base URL the server listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  /** The admin token generated on this start, when one was (shown once). */
  generatedAdminToken: string | undefined;
  close(): Promise<void>;
}

/** Labels of the default tenant's own admin tokens: the configured one and the generated one. */
const BOOTSTRAP_TOKEN_LABELS = ['env', 'generated'];

/**
 * Makes sure an admin can get in: the configured token is registered (hashed), or, on a first
 * start without one, a token is generated and handed back to be printed once. A configured token
 * replaces the earlier configured or generated one, and ends the page sessions they opened.
 */
async function bootstrapAdmin(store: Store, config: Config): Promise<string | undefined> {
  const tokens = adminTokenRepo(store.db);
  await tenantRepo(store.db).ensure(DEFAULT_TENANT);
  if (config.adminToken) {
    const retired = await tokens.replace(DEFAULT_TENANT, config.adminToken, 'env', BOOTSTRAP_TOKEN_LABELS);
    if (retired > 0) await adminSessionRepo(store.db).closeOpenedWith(DEFAULT_TENANT, BOOTSTRAP_TOKEN_LABELS);
    return undefined;
  }
  if ((await tokens.count(DEFAULT_TENANT)) > 0) return undefined;
  const token = generateAdminToken();
  await tokens.add(DEFAULT_TENANT, token, 'generated');
  return token;
}

export interface StartOptions {
  logStream?: DestinationStream;
}

/** Composition root: config → store → app → background services → listen. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<ServerHandle> {
  const store = await openStore(config);
  configureRunLiveness(store, config.runHeartbeatSeconds);
  const generatedAdminToken = await bootstrapAdmin(store, config);
  const ctx: AppContext = { config, store, metrics: createMetrics(), servicesStarted: false };
  recordGraphMetrics(store, ctx.metrics);
  const app = await createApp(ctx, options.logStream ? { logStream: options.logStream } : {});
  const services = serviceFactories.map((factory) => factory(ctx, app));
  await app.listen({ port: config.port, host: config.host });
  for (const service of services) await service.start();
  ctx.servicesStarted = true;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | undefined;
  return {
    app,
    ctx,
    store,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    generatedAdminToken,
    close() {
      closing ??= (async () => {
        for (const service of [...services].reverse()) await service.stop();
        await app.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** `ucbridge serve`: validated config, one banner for a generated admin token, clean SIGTERM. */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<ServerHandle> {
  const config = loadConfig(env);
  const started = startServer(config);
  // Handlers go in before start-up completes: a signal during start-up still shuts down cleanly,
  // and repeated signals (orchestrators resend them) do not cut the shutdown short.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    started
      .then(async (handle) => {
        handle.app.log.info({ signal }, 'shutting down');
        await handle.close();
        process.exit(0);
      })
      .catch((error: unknown) => {
        process.stderr.write(`ucbridge: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const handle = await started;
  if (handle.generatedAdminToken) {
    // Printed once, to the terminal only (not through the logger): only its hash is stored.
    process.stdout.write(
      `\n  Admin token (shown once, store it now): ${handle.generatedAdminToken}\n  Admin page: ${handle.url}/admin\n\n`,
    );
  }
  return handle;
}
