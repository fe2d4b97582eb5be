import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ authRateLimit: 3 });
});
afterAll(() => server.stop());

it('rate-limits the sign-in endpoints per client', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const response = await fetch(`${server.url}/api/v1/sso/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idToken: 'not-a-token-but-long-enough' }),
    });
    statuses.push(response.status);
    if (response.status === 429) expect(((await response.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  }
  // SSO is off on a fresh server: refused three times, then limited.
  expect(statuses).toEqual([403, 403, 403, 429]);
  const login = await fetch(`${server.url}/sso/login`, { redirect: 'manual' });
  expect(login.status).toBe(403);
});

it('budgets refresh and logout per sign-in, not per address: clients behind one NAT do not share it', async () => {
  const refresh = async (refreshToken: string) =>
    (await fetch(`${server.url}/api/v1/sso/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) })).status;
  const first = 'ucb_rt_first-sign-in-token-from-one-client-000000';
  const statuses = [await refresh(first), await refresh(first), await refresh(first), await refresh(first)];
  expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
  expect(statuses[3]).toBe(429);
  // Another sign-in from the same address still has its own budget.
  expect(await refresh('ucb_rt_second-sign-in-token-from-another-client-0')).not.toBe(429);
});
