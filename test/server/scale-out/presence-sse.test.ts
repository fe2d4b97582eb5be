import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presenceServiceFor } from '../../../server/presence/index.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { startSsoEnv, type SessionBody, type SsoEnv } from '../sso/support.js';
import { startInstance, type Instance } from './instances.js';

/** Reads SSE `data:` events of one open stream. */
function events(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<{ status?: string } | 'closed'> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data:'));
          buffer = buffer.slice(end + 2);
          if (data) return JSON.parse(data.slice(5)) as { status?: string };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return 'closed';
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => reader.cancel(),
  };
}

describe.runIf(process.env.UCBRIDGE_TEST_DB === 'postgres')('presence across two processes', () => {
  let env: SsoEnv;
  let other: Instance;
  let session: SessionBody;

  beforeAll(async () => {
    // Instance a: this process (its presence poller is driven by the test). Instance b: a child process.
    env = await startSsoEnv();
    await env.addExtension({ number: '2001' });
    session = (await (await env.post('/api/v1/sso/token', { idToken: await env.idToken() })).json()) as SessionBody;
    // An hour between polls: after its first cycle, b detects nothing itself.
    expect((await env.server.admin('/api/v1/settings/presence-sync', { method: 'PUT', body: { enabled: true, pollSeconds: 3600 } })).status).toBe(200);
    const mapping = await fetch(`${env.server.url}/api/v1/me/presence-mapping`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true }),
    });
    expect(mapping.status).toBe(200);
    other = await startInstance(env.server.database, { GRAPH_CA_FILE: env.emu.caFile });
  }, 120_000);
  afterAll(async () => {
    await other.stop();
    await env.stop();
  });

  it('shows an SSE client on instance b the Teams change instance a detected', async () => {
    const a = presenceServiceFor(env.server.store) ?? expect.fail('no presence service on a');
    const oid = env.user(0).oid;
    env.emu.ops.setPresence(oid, { availability: 'Available', activity: 'Available' });
    await a.pollTeams(DEFAULT_TENANT);
    const response = await fetch(`${other.url}/api/v1/me/status/stream`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(response.status).toBe(200);
    const stream = events(response.body as ReadableStream<Uint8Array>);
    try {
      expect(await stream.next()).toMatchObject({ status: 'available' }); // the snapshot
      env.emu.ops.setPresence(oid, { availability: 'DoNotDisturb', activity: 'Presenting' });
      const report = await a.pollTeams(DEFAULT_TENANT);
      expect(report.changes).toBe(1); // a detected it
      expect(await stream.next()).toMatchObject({ status: 'do_not_disturb' });
    } finally {
      await stream.close();
    }
  }, 60_000);
});
