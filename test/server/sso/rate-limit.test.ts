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
