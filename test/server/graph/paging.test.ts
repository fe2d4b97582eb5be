import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createGraphClient, createTransport, type GraphClient, type Transport } from '../../../server/graph/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emu: Emulator;
let transport: Transport;
let graph: GraphClient;

beforeAll(async () => {
  emu = await startEmulator({ users: 200, seed: 3 });
  transport = createTransport(emu.caFile);
  const credentials = { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph };
  graph = createGraphClient(credentials, { transport });
});

afterAll(async () => {
  await transport.close();
  await emu.close();
});

const user = z.object({ id: z.string() });
const options = { item: user, select: ['id'], headers: { Prefer: 'odata.maxpagesize=5' } };
const deltaCalls = () => emu.ops.requests().filter((r) => r.path.startsWith('/v1.0/users/delta')).length;

/** Waits until no request has arrived for a while: read-ahead that was started has finished. */
async function quiet(): Promise<void> {
  for (let last = -1; last !== deltaCalls(); ) {
    last = deltaCalls();
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('paging with read-ahead', () => {
  it('yields every page once, in order, up to the delta link', async () => {
    const ids: string[] = [];
    let deltaLink: string | undefined;
    for await (const page of graph.delta('/users/delta', options)) {
      ids.push(...page.items.map((u) => u.id));
      deltaLink = page.deltaLink ?? deltaLink;
    }
    expect(ids.length).toBe(new Set(ids).size);
    expect(ids.length).toBe(emu.state.directory.users.filter((u) => u.deletedAt === null).length);
    expect(deltaLink).toContain('deltatoken');
  });

  it('reads at most 4 pages ahead of a slow caller, and nothing more once the caller stops', async () => {
    await quiet();
    emu.ops.clearRequests();
    let seen = 0;
    for await (const _page of graph.delta('/users/delta', options)) {
      seen++;
      await quiet();
      // One page being worked on, 4 read ahead (200 users in pages of 5: 40 pages in all).
      expect(deltaCalls()).toBe(Math.min(40, seen + 4));
      if (seen === 3) break;
    }
    await quiet();
    expect(deltaCalls()).toBe(7);
  });
});
