/**
 * Emulator throughput: seeding 100,000 users and listing them all with $top=999 over HTTPS.
 * Run: npx tsx bench/emulator.ts [users]
 */
import { fetch } from 'undici';
import { startEmulator, trustingAgent } from '../test/emulator/index.js';

const users = Number(process.argv[2] ?? 100_000);
const emu = await startEmulator({ users: 10 });
const agent = trustingAgent(emu.caPem);

let t = performance.now();
const seeded = emu.ops.seed({ users, seed: 1 });
const seedMs = performance.now() - t;

const tokenRes = await fetch(`${emu.authority}/${emu.tenantId}/oauth2/v2.0/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: emu.clientId, client_secret: emu.clientSecret, scope: 'https://graph.microsoft.com/.default' }).toString(),
  dispatcher: agent,
});
const { access_token: token } = (await tokenRes.json()) as { access_token: string };

async function listAll(path: string): Promise<{ items: number; pages: number; ms: number }> {
  const started = performance.now();
  let url: string | undefined = `${emu.graph}/v1.0${path}`;
  let items = 0;
  let pages = 0;
  while (url) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, dispatcher: agent });
    const page = (await res.json()) as { value: unknown[]; '@odata.nextLink'?: string };
    items += page.value.length;
    pages++;
    url = page['@odata.nextLink'];
  }
  return { items, pages, ms: Math.round(performance.now() - started) };
}

t = performance.now();
const listing = await listAll('/users?$top=999&$select=id,displayName,mail,businessPhones,accountEnabled,userType,department');
const defaults = await listAll('/users?$top=999');
const delta = await listAll('/users/delta?$select=displayName,accountEnabled');
console.log(JSON.stringify({ users: seeded.users, groups: seeded.groups, seedMs: Math.round(seedMs), listSelected: listing, listDefault: defaults, deltaInitial: delta, rssMb: Math.round(process.memoryUsage().rss / 1e6) }));
await agent.close();
await emu.close();
