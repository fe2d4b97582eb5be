/**
 * `npm run demo`: the Entra + Graph emulator with a seeded tenant (500 users, groups of both kinds,
 * contacts, shared mailboxes, presence changing every few seconds) and a ucbridge server connected
 * to it with user and group sync on. Prints the admin URL and token; runs until Ctrl-C.
 * Environment: PORT (default 8080), DATA_DIR (default a fresh temp dir), UCBRIDGE_ADMIN_TOKEN.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { listRuns, saveGroupSync, saveUserSync } from '../../server/directory/index.js';
import { connect } from '../../server/integration/index.js';
import { startServer } from '../../server/main.js';
import { DEFAULT_TENANT } from '../../server/store/index.js';
import { startEmulator } from './index.js';

const emu = await startEmulator({ users: 500, seed: 1 });
emu.ops.startPresenceTicker(5000, 0.05);

const adminToken = process.env.UCBRIDGE_ADMIN_TOKEN ?? `ucb_demo_${randomBytes(18).toString('base64url')}`;
const config = loadConfig(process.env, {
  port: Number(process.env.PORT ?? 8080),
  host: '127.0.0.1',
  dataDir: process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'ucbridge-demo-')),
  adminToken,
  graphCaFile: emu.caFile,
  logLevel: 'warn',
});
const server = await startServer(config);
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
// The group-sync save queues a follow-up run behind the initial one: wait for both.
for (;;) {
  const runs = await listRuns(server.store, DEFAULT_TENANT, 5);
  if (runs.length > 0 && runs.every((r) => r.status !== 'running')) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const count = (table: 'extension' | 'extension_group') =>
  server.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
const [extensions, groups] = await Promise.all([count('extension'), count('extension_group')]);

process.stdout.write(
  [
    '',
    '  ucbridge demo is running',
    `  Admin page:   ${server.url}/admin`,
    `  Admin token:  ${adminToken}`,
    `  API example:  curl -H 'Authorization: Bearer ${adminToken}' ${server.url}/api/v1/extensions?limit=5`,
    `  Emulator:     ${emu.authority} (tenant ${emu.tenantId}; control API ${emu.control})`,
    `  Synced:       ${Number(extensions.n)} extensions, ${Number(groups.n)} extension groups`,
    '  Ctrl-C to stop.',
    '',
  ].join('\n') + '\n',
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await server.close();
    await emu.close();
    process.exit(0);
  })();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
