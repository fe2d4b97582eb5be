import type { ConfigInput } from '../../../server/config.js';
import { startSync, waitForRun, type ExtensionView, type RunView } from '../../../server/directory/index.js';
import { configureGraphClients } from '../../../server/graph/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import type { TestDatabase } from '../../support/store.js';

/** Fast retries for tests: Retry-After is honoured but capped, backoff steps are milliseconds. */
export const FAST_RETRY = { retry: { baseDelayMs: 2, maxDelayMs: 20, maxRetryAfterMs: 20, maxAttempts: 12 } };

export interface World {
  emu: Emulator;
  server: TestServer;
  json<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  connect(): Promise<void>;
  /** Starts a run (or takes the given id) and waits for it to leave `running`. */
  sync(body?: { full?: boolean }): Promise<RunView>;
  waitRun(id: string): Promise<RunView>;
  extensions(): Promise<ExtensionView[]>;
  byEntra(): Promise<Map<string, ExtensionView>>;
  restart(overrides?: ConfigInput): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorld(
  options: { emulator?: EmulatorOptions; server?: ConfigInput; database?: TestDatabase } = {},
): Promise<World> {
  const emu = await startEmulator({ users: 40, seed: 7, ...options.emulator });
  const overrides = { graphCaFile: emu.caFile, ...options.server };
  let server = await startTestServer(overrides, options.database);
  configureGraphClients(server.store, FAST_RETRY);

  const world: World = {
    emu,
    get server() {
      return server;
    },
    async json<T>(path: string, init: { method?: string; body?: unknown } = {}) {
      const res = await server.admin(path, init);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async connect() {
      const res = await world.json('/api/v1/integration', {
        method: 'PUT',
        body: { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph },
      });
      if (res.status !== 200) throw new Error(`connect failed: ${JSON.stringify(res.body)}`);
    },
    async waitRun(id) {
      await waitForRun(server.store, id);
      for (;;) {
        const run = (await world.json<RunView>(`/api/v1/sync-runs/${id}`)).body;
        if (run.status !== 'running' && run.status !== 'queued') return run;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async sync(body) {
      const res = await world.json<{ id: string }>('/api/v1/sync-runs', { method: 'POST', ...(body ? { body } : {}) });
      if (res.status !== 202) throw new Error(`sync not started: ${JSON.stringify(res.body)}`);
      return world.waitRun(res.body.id);
    },
    async extensions() {
      const all: ExtensionView[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: ExtensionView[]; nextCursor: string | null } } = await world.json(`/api/v1/extensions?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
        all.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      return all;
    },
    async byEntra() {
      return new Map((await world.extensions()).filter((e) => e.entraObjectId).map((e) => [e.entraObjectId ?? '', e]));
    },
    async restart(more = {}) {
      await server.close();
      server = await startTestServer({ ...overrides, ...more }, server.database);
      configureGraphClients(server.store, FAST_RETRY);
    },
    async stop() {
      await server.close();
      await server.database.drop();
      await emu.close();
    },
  };
  return world;
}

/** Saves settings and waits for the run the save started (if any). */
export async function saveSettings(world: World, kind: 'user-sync' | 'group-sync', body: unknown, query = ''): Promise<RunView | undefined> {
  const res = await world.server.admin(`/api/v1/settings/${kind}${query}`, { method: 'PUT', body });
  if (res.status !== 200) throw new Error(`settings not saved: ${res.status} ${await res.text()}`);
  const runId = res.headers.get('x-sync-run-id');
  return runId ? world.waitRun(runId) : undefined;
}

/** What a killed process leaves behind: the run still "running", its heartbeat going stale. */
export async function leaveRunAsKilled(world: World, runId: string): Promise<void> {
  await world.server.store.db.updateTable('sync_run').set({ status: 'running', error: null, heartbeat_at: '2000-01-01T00:00:00.000Z', finished_at: null }).where('id', '=', runId).execute();
}

/** Starts a run ourselves, with a hook that "kills" it once `after` changes are committed. */
export async function startRunKilledAfter(world: World, after: number, options: { chunkSize?: number; pageSize?: number }): Promise<string> {
  const ctx = { store: world.server.store, config: world.server.ctx.config };
  const killAt = (applied: number) => {
    if (applied >= after) throw new Error('process killed');
  };
  const runId = await startSync(ctx, DEFAULT_TENANT, { trigger: 'manual', ...options, hooks: { afterChunk: killAt } });
  await waitForRun(world.server.store, runId);
  return runId;
}

/** Numbers read from extensionAttribute3, which the seeded users leave empty: only users given one get a number. */
export const NUMBERED_BY_ATTRIBUTE = { kind: 'property', property: 'extensionAttribute3' } as const;
export const numbered = (number: string) => ({ onPremisesExtensionAttributes: { extensionAttribute3: number } });

/** A deletion guard that holds every run deleting anything. */
export const GUARD_EVERY_DELETE = { enabled: true, minimum: 0, percent: 0 };

/** Syncs into a run the deletion guard holds, does `meanwhile` (what an admin might do while it waits), confirms it and waits for its end. */
export async function syncHeldAndConfirm(world: World, meanwhile: () => Promise<unknown> = () => Promise.resolve()): Promise<RunView> {
  const held = await world.sync();
  if (held.status !== 'held') throw new Error(`run not held: ${JSON.stringify(held)}`);
  await meanwhile();
  const confirmed = await world.json(`/api/v1/sync-runs/${held.id}/confirm`, { method: 'POST' });
  if (confirmed.status !== 200) throw new Error(`run not confirmed: ${JSON.stringify(confirmed.body)}`);
  return world.waitRun(held.id);
}

/** Creates a local extension with `number` (an admin taking a number); returns its id. */
export async function createLocalExtension(world: World, number: string): Promise<string> {
  const res = await world.json<ExtensionView>('/api/v1/extensions', { method: 'POST', body: { number, displayName: `Local ${number}` } });
  if (res.status !== 201) throw new Error(`extension not created: ${JSON.stringify(res.body)}`);
  return res.body.id;
}
