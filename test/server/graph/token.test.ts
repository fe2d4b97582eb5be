import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultConfig } from '../../emulator/index.js';
import { FAST_RETRY, saveSettings, startWorld, type World } from '../directory/world.js';

type Failure = { error: { code: string; message: string; details?: { hint?: string } } };

const TOKEN_ENDPOINT = '/oauth2/v2.0/token';

let world: World;
beforeAll(async () => {
  world = await startWorld({ emulator: { users: 8, seed: 61 } });
  await world.connect();
});
afterEach(() => world.emu.ops.clearFaults());
afterAll(() => world.stop());

const lastRequest = () => world.emu.ops.requests().at(-1)?.seq ?? 0;
const tokenRequests = (since: number) => world.emu.ops.requests({ path: TOKEN_ENDPOINT, since });
const failToken = (fault: FaultConfig) => world.emu.ops.setFaults({ ...fault, paths: [`*${TOKEN_ENDPOINT}`] });
/** Test connection: a new client, so a fresh token request. */
const testConnection = () => world.json<Failure>('/api/v1/integration/test', { method: 'POST' });

describe('the Entra token endpoint', () => {
  it.each<[string, FaultConfig, string]>([
    ['429 with Retry-After', { rate429: 1, retryAfter: 1 }, 'throttle'],
    ['503 without Retry-After', { rate5xx: 1, status5xx: 503, retryAfter: null }, 'error'],
    ['500', { rate5xx: 1, status5xx: 500 }, 'error'],
    ['connection resets', { resetRate: 1 }, 'reset'],
  ])('is retried through %s, like Graph', async (_what, fault, kind) => {
    const since = lastRequest();
    failToken({ ...fault, count: 3 });
    expect((await testConnection()).status).toBe(200);
    const [a, b, c, ok] = tokenRequests(since);
    expect([a?.fault, b?.fault, c?.fault, ok?.fault]).toEqual([kind, kind, kind, null]);
    expect(ok?.status).toBe(200);
  });

  it('that stays unavailable is reported as such, not as wrong credentials', async () => {
    const since = lastRequest();
    failToken({ rate5xx: 1, status5xx: 503, retryAfter: 0 });
    const res = await testConnection();
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('graph_token_unavailable');
    expect(res.body.error.message).toContain('HTTP 503');
    expect(res.body.error.details?.hint).toMatch(/not the tenant ID, client ID or secret/);
    expect(tokenRequests(since)).toHaveLength(FAST_RETRY.retry.maxAttempts);
  });

  it('refuses a wrong secret at once, with its own error', async () => {
    const since = lastRequest();
    const { emu } = world;
    const res = await world.json<Failure>('/api/v1/integration', {
      method: 'PUT',
      body: { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: 'not-the-secret', authorityHost: emu.authority, graphEndpoint: emu.graph },
    });
    expect(res.body.error.code).toBe('graph_secret_invalid');
    expect(tokenRequests(since)).toHaveLength(1);
  });

  it('failing while a sync run refreshes its token does not fail the run', async () => {
    expect((await saveSettings(world, 'user-sync', { enabled: true }))?.status).toBe('succeeded');
    // Graph refuses the cached token (401): the run asks Entra for a new one, which fails a few times first.
    world.emu.ops.expireTokens();
    failToken({ rate5xx: 1, status5xx: 503, count: 3 });
    const run = await world.sync();
    expect(run).toMatchObject({ status: 'succeeded', counts: { failed: 0 } });
    expect(world.emu.services.faults.injected).toBe(3);
  });
});
