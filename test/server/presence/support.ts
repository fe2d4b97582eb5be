import { connect } from '../../../server/integration/index.js';
import { presenceServiceFor, type ExtensionStatusView, type PresenceService } from '../../../server/presence/index.js';
import { DEFAULT_TENANT, type Store } from '../../../server/store/index.js';
import type { ConfigInput } from '../../../server/config.js';
import type { EmulatorOptions } from '../../emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { extensionRow } from '../../support/extension-row.js';
import { startTestServer, type TestServer } from '../../support/server.js';

const MINUTE = 60_000;

export interface PresenceUser {
  extensionId: string;
  oid: string;
  mail: string;
}

/** An emulated tenant, a server connected to it, and extensions for its users as user sync makes them. */
export interface PresenceEnv {
  emu: TestEmulator;
  server: TestServer;
  service: PresenceService;
  users: PresenceUser[];
  json<T>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  settings(body: Record<string, unknown>): Promise<void>;
  teams(user: PresenceUser, availability: string, activity: string): void;
  /** Creates an event running now through Graph (as the user's Outlook would); returns its id. */
  addEvent(user: PresenceUser, showAs: string): Promise<string>;
  removeEvent(user: PresenceUser, id: string): Promise<void>;
  status(user: PresenceUser): Promise<ExtensionStatusView>;
  stop(): Promise<void>;
}

/** Connects a store to the emulator the way PUT /api/v1/integration does (token, permission probe). */
export async function connectIntegration(store: Store, emu: { tenantId: string; clientId: string; clientSecret: string; authority: string; graph: string; caFile: string }): Promise<void> {
  await connect({ store, config: { graphCaFile: emu.caFile } }, DEFAULT_TENANT, {
    tenantId: emu.tenantId,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    authorityHost: emu.authority,
    graphEndpoint: emu.graph,
  });
}

/** Extension rows for Entra users, as directory sync creates them. */
export async function insertSyncedExtensions(store: Store, entraTenantId: string, users: Array<{ oid: string; mail: string; upn: string; name: string }>, firstNumber = 1000): Promise<PresenceUser[]> {
  const rows = users.map((u, i) =>
    extensionRow({
      number: String(firstNumber + i),
      display_name: u.name,
      email: u.mail,
      source: 'entra',
      entra_object_id: u.oid,
      entra_tenant_id: entraTenantId,
      user_principal_name: u.upn,
    }),
  );
  for (let i = 0; i < rows.length; i += 200) await store.db.insertInto('extension').values(rows.slice(i, i + 200)).execute();
  return rows.map((r, i) => ({ extensionId: r.id, oid: r.entra_object_id ?? '', mail: users[i]?.mail ?? '' }));
}

/**
 * Holds the emulator's answers to requests whose path matches, as a slow Graph would, until
 * `release()`; `arrived` resolves when the first such request came in (its caller now waits).
 */
export function holdRequests(emu: TestEmulator, path: RegExp): { arrived: Promise<void>; release(): void } {
  const pipeline = emu.services.pipeline;
  const handle = pipeline.handle.bind(pipeline);
  let arrive = () => {};
  let open = () => {};
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  pipeline.handle = async (req, canReset) => {
    if (path.test(req.path)) {
      arrive();
      await gate;
    }
    return handle(req, canReset);
  };
  return {
    arrived,
    release() {
      Reflect.deleteProperty(pipeline, 'handle'); // back to the class's own
      open();
    },
  };
}

/** Members with a mailbox, in seed order. */
export function mailboxUsers(emu: TestEmulator, count: number) {
  const records = emu.state.directory.users.filter((u) => u.data.accountEnabled !== false && u.data.userType !== 'Guest' && u.mailbox.enabled && !u.mailbox.shared);
  if (records.length < count) throw new Error(`the emulator has only ${records.length} mailbox users`);
  return records.slice(0, count).map((u) => ({ oid: u.data.id, mail: u.data.mail ?? u.data.userPrincipalName, upn: u.data.userPrincipalName, name: u.data.displayName ?? '' }));
}

export async function startPresenceEnv(options: {
  users: number;
  extensions: number;
  config?: ConfigInput;
  emulator?: EmulatorOptions;
  /** PUBLIC_URL for the server, e.g. a TLS proxy in front of it (started before the server). */
  publicUrl?: (emu: TestEmulator) => Promise<string>;
}): Promise<PresenceEnv> {
  const emu = await startTestEmulator({ users: options.users, seed: 3, ...options.emulator });
  const publicUrl = await options.publicUrl?.(emu);
  const server = await startTestServer({ graphCaFile: emu.caFile, ...(publicUrl ? { publicUrl } : {}), ...options.config });
  const json = async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await server.admin(path, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  await connectIntegration(server.store, emu);
  const users = await insertSyncedExtensions(server.store, emu.tenantId, mailboxUsers(emu, options.extensions));
  for (const u of users) emu.state.mailboxes.get(emu.ops.user(u.oid)).events.clear(); // no seeded meetings: tests add their own
  const service = presenceServiceFor(server.store);
  if (!service) throw new Error('the presence service is not running');
  const env: PresenceEnv = {
    emu,
    server,
    service,
    users,
    json,
    async settings(body) {
      // Long cycles: the background service polls once, tests trigger every further cycle.
      const saved = await json('/api/v1/settings/presence-sync', { method: 'PUT', body: { pollSeconds: 3600, calendarPollSeconds: 3600, ...body } });
      if (saved.status !== 200) throw new Error(`saving presence-sync settings failed: ${JSON.stringify(saved.body)}`);
    },
    teams(user, availability, activity) {
      emu.ops.setPresence(user.oid, { availability, activity });
    },
    async addEvent(user, showAs) {
      const at = (ms: number) => ({ dateTime: new Date(Date.now() + ms).toISOString().slice(0, 19), timeZone: 'UTC' });
      const res = await emu.graphFetch(`/users/${user.oid}/events`, { method: 'POST', admin: true, body: { subject: showAs, showAs, start: at(-MINUTE), end: at(30 * MINUTE) } });
      if (res.status !== 201) throw new Error(`creating an event failed: ${res.status}`);
      return ((await res.json()) as { id: string }).id;
    },
    async removeEvent(user, id) {
      const res = await emu.graphFetch(`/users/${user.oid}/events/${id}`, { method: 'DELETE', admin: true });
      if (res.status !== 204) throw new Error(`deleting an event failed: ${res.status}`);
    },
    async status(user) {
      const res = await json<ExtensionStatusView>(`/api/v1/extensions/${user.extensionId}/status`);
      return res.body;
    },
    async stop() {
      await server.stop();
      await emu.close();
    },
  };
  return env;
}
