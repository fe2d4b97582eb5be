/**
 * `npm run demo`: the Entra + Graph emulator with a seeded tenant (500 users, groups of both kinds,
 * contacts, shared mailboxes, presence changing every few seconds) and a ucbridge server connected
 * to it with user, group, contact and presence sync and SSO on. Prints the admin URL and token; runs until Ctrl-C.
 * Environment: PORT (default 8080), DATA_DIR (default a fresh temp dir), UCBRIDGE_ADMIN_TOKEN.
 * `npm run demo -- --instances 2` (needs DATABASE_URL): that many servers on one PostgreSQL behind
 * a round-robin balancer on PORT — the scaled-out setup of ARCHITECTURE.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { contactSyncSettings, saveContactSync, waitForContactRun } from '../../server/contacts/index.js';
import { listRuns, saveGroupSync, saveUserSync } from '../../server/directory/index.js';
import { connect } from '../../server/integration/index.js';
import { startServer } from '../../server/main.js';
import { presenceSyncSettings, savePresenceSyncSettings } from '../../server/presence/index.js';
import { ssoSettings, updateSsoSettings, webCallbackUri } from '../../server/sso/index.js';
import { DEFAULT_TENANT } from '../../server/store/index.js';
import { startEmulator } from './index.js';
import { startRoundRobin } from './round-robin.js';

const flag = process.argv.indexOf('--instances');
const instances = flag >= 0 ? Number(process.argv[flag + 1]) : 1;
if (!Number.isInteger(instances) || instances < 1) throw new Error('--instances takes a whole number ≥ 1');
if (instances > 1 && !process.env.DATABASE_URL) throw new Error('--instances needs DATABASE_URL (PostgreSQL): instances share one database');

const emu = await startEmulator({ users: 500, seed: 1 });
emu.ops.startPresenceTicker(5000, 0.05);

const adminToken = process.env.UCBRIDGE_ADMIN_TOKEN ?? `ucb_demo_${randomBytes(18).toString('base64url')}`;
const config = loadConfig(process.env, {
  port: instances > 1 ? 0 : Number(process.env.PORT ?? 8080),
  // Every instance must read the others' secrets: one key for all (generated for the demo).
  ...(instances > 1 && !process.env.UCBRIDGE_SECRET_KEY ? { secretKey: randomBytes(32).toString('base64') } : {}),
  host: '127.0.0.1',
  dataDir: process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'ucbridge-demo-')),
  adminToken,
  graphCaFile: emu.caFile,
  logLevel: 'warn',
});
const server = await startServer(config);
const others = await Promise.all(Array.from({ length: instances - 1 }, () => startServer(config)));
const balancer = instances > 1 ? await startRoundRobin(Number(process.env.PORT ?? 8080), [server.url, ...others.map((o) => o.url)]) : undefined;
const publicUrl = balancer?.url ?? server.url;
const deps = { store: server.store, config };

await connect(deps, DEFAULT_TENANT, {
  tenantId: emu.tenantId,
  clientId: emu.clientId,
  clientSecret: emu.clientSecret,
  authorityHost: emu.authority,
  graphEndpoint: emu.graph,
});
await saveUserSync(deps, DEFAULT_TENANT, { enabled: true, maxExtensions: 1000 }, 'keep');
await saveGroupSync(deps, DEFAULT_TENANT, { enabled: true }, 'keep');
/** Waits until no run (directory or contacts) is running. */
const quiet = async () => {
  for (;;) {
    const runs = await listRuns(server.store, DEFAULT_TENANT, 10);
    if (runs.length > 0 && runs.every((r) => r.status !== 'running')) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
// The group-sync save queues a follow-up run behind the initial one: wait for both.
await quiet();
// After the directory: personal phonebooks need the users' extensions.
const contactSync = contactSyncSettings.parse({ personal: { enabled: true, scope: { kind: 'all' } }, shared: { enabled: true, mailboxes: { kind: 'all' } } });
const { runId: contactRun } = await saveContactSync(deps, DEFAULT_TENANT, contactSync);
if (contactRun) await waitForContactRun(server.store, contactRun);
await quiet();
const presence = await savePresenceSyncSettings(server.store, DEFAULT_TENANT, presenceSyncSettings.parse({ enabled: true }));
const sso = await updateSsoSettings(server.store, DEFAULT_TENANT, ssoSettings.parse({ enabled: true, allowedOrigins: [new URL(publicUrl).origin] }));
const count = (table: 'extension' | 'extension_group' | 'contact') =>
  server.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
const phonebooks = (kind: string) =>
  server.store.db.selectFrom('phonebook').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', kind).executeTakeFirstOrThrow();
const [extensions, groups, contacts, personal, company] = await Promise.all([
  count('extension'),
  count('extension_group'),
  count('contact'),
  phonebooks('personal'),
  phonebooks('company'),
]);

process.stdout.write(
  [
    '',
    '  ucbridge demo is running',
    ...(balancer ? [`  Instances:    ${instances} (${[server.url, ...others.map((o) => o.url)].join(', ')}) behind ${balancer.url}`] : []),
    `  Admin page:   ${publicUrl}/admin`,
    `  Admin token:  ${adminToken}`,
    `  API example:  curl -H 'Authorization: Bearer ${adminToken}' ${publicUrl}/api/v1/extensions?limit=5`,
    `  Emulator:     ${emu.authority} (tenant ${emu.tenantId}; control API ${emu.control})`,
    `  Synced:       ${Number(extensions.n)} extensions, ${Number(groups.n)} extension groups`,
    `  Contacts:     ${Number(personal.n)} personal and ${Number(company.n)} company phonebooks, ${Number(contacts.n)} contacts`,
    `  Presence:     Teams presence → extension status every ${presence.pollSeconds} s (users opt in in their mapping)`,
    `  SSO:          ${sso.enabled ? 'on' : 'off'}; web sign-in callback ${webCallbackUri(publicUrl)}`,
    '  Ctrl-C to stop.',
    '',
  ].join('\n') + '\n',
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await balancer?.close();
    for (const other of others) await other.close();
    await server.close();
    await emu.close();
    process.exit(0);
  })();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
