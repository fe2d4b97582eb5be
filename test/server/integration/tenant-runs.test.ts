import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureContactFollow, contactSyncSettings, saveContactSync, startContactSync, waitForContactRun } from '../../../server/contacts/index.js';
import { getRun, saveUserSync, startSync, waitForRun } from '../../../server/directory/index.js';
import { configureGraphClients } from '../../../server/graph/index.js';
import { connect, disableIntegration, disconnectIntegration, enableIntegration } from '../../../server/integration/index.js';
import { tenantRepo } from '../../../server/store/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { FAST_RETRY } from '../directory/world.js';

/** Two PBX tenants on one server: ending one tenant's integration must not touch the other's runs. */
let emu: Emulator;
let server: TestServer;
const TENANTS = ['pbx-one', 'pbx-two'] as const;

beforeAll(async () => {
  emu = await startEmulator({ users: 30, seed: 23 });
  server = await startTestServer({ graphCaFile: emu.caFile });
  configureGraphClients(server.store, FAST_RETRY);
  configureContactFollow(server.store, { pollMs: 0 });
  const credentials = { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph };
  for (const tenantId of TENANTS) {
    await tenantRepo(server.store.db).ensure(tenantId);
    await connect(server.ctx, tenantId, credentials);
    const { runId } = await saveUserSync(server.ctx, tenantId, { enabled: true }, 'keep');
    if (runId) await waitForRun(server.store, runId);
  }
  const personal = contactSyncSettings.parse({ personal: { enabled: true, scope: { kind: 'all' } } });
  const { runId } = await saveContactSync(server.ctx, 'pbx-two', personal);
  if (runId) await waitForContactRun(server.store, runId);
});

afterAll(async () => {
  emu.ops.clearFaults();
  await server.stop();
  await emu.close();
});

/** Every Graph request takes this long: a run of many small pages is still going when the integration ends. */
const slowGraph = () => emu.ops.setFaults({ latencyMs: 150 });

describe.each([
  ['disabling', disableIntegration, 'The integration was disabled.'],
  ['disconnecting', disconnectIntegration, 'The integration was disconnected.'],
] as const)('%s one tenant', (_what, end, reason) => {
  it("ends that tenant's directory and contact runs with the reason, and leaves the other tenant's run alone", async () => {
    const [keep, stop] = TENANTS;
    // The second case starts from the first one's disabled integration.
    if (end === disconnectIntegration) await enableIntegration(server.ctx, stop);
    slowGraph();
    const kept = await startSync(server.ctx, keep, { trigger: 'manual', full: true, pageSize: 3 });
    const stopped = await startSync(server.ctx, stop, { trigger: 'manual', full: true, pageSize: 3 });
    const contacts = await startContactSync(server.ctx, stop, { trigger: 'manual', full: true, concurrency: 1 });

    await end(server.ctx, stop, { deleteExtensions: false, deleteGroups: false });
    emu.ops.clearFaults();
    await Promise.all([waitForRun(server.store, kept), waitForContactRun(server.store, contacts)]);

    expect(await getRun(server.store, keep, kept)).toMatchObject({ status: 'succeeded', error: null });
    expect(await getRun(server.store, stop, stopped)).toMatchObject({ status: 'failed', error: reason });
    expect(await getRun(server.store, stop, contacts)).toMatchObject({ status: 'failed', error: reason });
    // Ended for good: nothing is left for a restart to resume.
    const unfinished = await server.store.db.selectFrom('sync_run').select('id').where('tenant_id', '=', stop).where('status', 'in', ['running', 'held']).execute();
    expect(unfinished).toEqual([]);
  });
});
