/**
 * `npm run bench -- contacts [--users 1000] [--contacts 200] [--changes 0.01] [--budget 1200]`
 *
 * Outlook contact sync against the emulator: N users with M contacts each (three quarters in the
 * default Contacts folder, the rest in a sub-folder, ~4 % invalid), then
 *  - full: the first contacts run (every folder read in full),
 *  - incremental: a run after `changes` × contacts were added, changed and deleted (delta per folder),
 *  - idle: a run with no change at all.
 * Prints wall time, CPU time, Graph requests (emulator request log), contacts per second and peak
 * RSS of the process (which also hosts the emulator and its contacts: see `rssBaselineMb`).
 * `--budget` is the Graph client's requests per 10 s (default: the production budget).
 */
import { parseArgs } from 'node:util';
import { configureContactFollow, waitForContactRun } from '../server/contacts/index.js';
import type { RunView } from '../server/directory/index.js';
import { configureGraphClients, DEFAULT_BUDGET } from '../server/graph/index.js';
import { startEmulator, type Emulator } from '../test/emulator/index.js';
import { startTestServer, type TestServer } from '../test/support/server.js';
import type { BenchResult } from './run.js';

const mb = (bytes: number) => Math.round(bytes / 1e6);

function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  return () => {
    clearInterval(timer);
    return mb(Math.max(peak, process.memoryUsage().rss));
  };
}

function populate(emu: Emulator, users: number, contacts: number): string[] {
  const ids: string[] = [];
  for (let u = 0; u < users; u++) {
    const id = emu.ops.createUser({ displayName: `Bench User ${u}`, givenName: 'Bench', surname: `User${u}`, userType: 'Member', accountEnabled: true }).id;
    const box = emu.state.mailboxes.get(emu.ops.user(id));
    const folder = `AAMkBenchFolder${u}`;
    box.folders.set(folder, { id: folder, displayName: 'Customers', parentFolderId: box.rootFolderId });
    for (let c = 0; c < contacts; c++) {
      const invalid = c % 25 === 0;
      emu.ops.createContact(
        id,
        { givenName: invalid ? null : `Given${c}`, surname: `Sur${u}-${c}`, companyName: c % 3 === 0 ? 'Fabrikam' : null, mobilePhone: invalid ? null : `+49 170 ${100000 + u} ${1000 + c}` },
        c % 4 === 0 ? folder : undefined,
      );
    }
    ids.push(id);
  }
  return ids;
}

async function waitRun(server: TestServer, id: string): Promise<RunView> {
  await waitForContactRun(server.store, id);
  for (;;) {
    const run = (await (await server.admin(`/api/v1/sync-runs/${id}`)).json()) as RunView;
    if (run.status !== 'running' && run.status !== 'queued') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function phase(emu: Emulator, server: TestServer, start: () => Promise<string>) {
  const since = emu.ops.requests().at(-1)?.seq ?? 0;
  const peak = rssSampler();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const run = await waitRun(server, await start());
  const ms = Math.round(performance.now() - started);
  const used = process.cpuUsage(cpu);
  const requests = emu.ops.requests({ since }).filter((r) => r.path.startsWith('/v1.0/'));
  return {
    status: run.status,
    ms,
    /** CPU of this process (server and emulator): a figure that other load on the machine does not inflate. */
    cpuMs: Math.round((used.user + used.system) / 1000),
    graphRequests: requests.length,
    throttled: requests.filter((r) => r.status === 429).length,
    contactsRead: run.progress.seen,
    contactsPerSecond: Math.round(run.progress.seen / (ms / 1000)),
    counts: run.counts,
    mailboxes: run.progress.applied,
    peakRssMb: peak(),
  };
}

export async function run(args: string[]): Promise<BenchResult> {
  const { values } = parseArgs({
    args,
    options: { users: { type: 'string', default: '1000' }, contacts: { type: 'string', default: '200' }, changes: { type: 'string', default: '0.01' }, budget: { type: 'string', default: String(DEFAULT_BUDGET.requests) } },
  });
  const users = Number(values.users);
  const contacts = Number(values.contacts);
  const emu = await startEmulator({ users: 1, sharedMailboxes: 0 });
  let t = performance.now();
  const ids = populate(emu, users, contacts);
  const populateMs = Math.round(performance.now() - t);
  const server = await startTestServer({ graphCaFile: emu.caFile, logLevel: 'warn' });
  configureGraphClients(server.store, { budget: { requests: Number(values.budget) } });
  configureContactFollow(server.store, { pollMs: 0 });
  try {
    const put = (path: string, body: unknown) => server.admin(path, { method: 'PUT', body });
    await put('/api/v1/integration', { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph });
    t = performance.now();
    const userSync = await put('/api/v1/settings/user-sync', { enabled: true, numbering: { kind: 'auto', start: '10000', end: '99999' }, maxExtensions: users + 10 });
    await waitRun(server, userSync.headers.get('x-sync-run-id') ?? '');
    const userSyncMs = Math.round(performance.now() - t);
    const rssBaselineMb = mb(process.memoryUsage().rss);

    const full = await phase(emu, server, async () => {
      const res = await put('/api/v1/settings/contact-sync', { personal: { enabled: true } });
      return res.headers.get('x-sync-run-id') ?? '';
    });
    const now = async () => ((await (await server.admin('/api/v1/contact-sync-runs', { method: 'POST' })).json()) as { id: string }).id;
    const changed = Math.max(1, Math.round(users * contacts * Number(values.changes)));
    for (let i = 0; i < changed; i++) {
      const user = ids[i % ids.length] ?? '';
      const box = emu.ops.listContacts(user);
      const victim = box[Math.floor(i / ids.length) * 3 + 1];
      if (i % 3 === 0) emu.ops.createContact(user, { givenName: 'Added', surname: `N${i}`, mobilePhone: `+1 425 555 ${1000 + (i % 9000)}` });
      else if (i % 3 === 1 && victim) emu.ops.updateContact(user, victim.id, { jobTitle: `Changed ${i}` });
      else if (victim) emu.ops.deleteContact(user, victim.id);
    }
    const incremental = await phase(emu, server, now);
    const idle = await phase(emu, server, now);
    const result = { users, contactsPerUser: contacts, budgetPer10s: Number(values.budget), populateMs, userSyncMs, rssBaselineMb, full, changes: changed, incremental, idle };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await server.stop();
    await emu.close();
  }
}
