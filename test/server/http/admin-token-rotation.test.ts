import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../../support/server.js';
import { createTestDatabase } from '../../support/store.js';

const FIRST_TOKEN = 'first-admin-token-0123456789abcdef';
const SECOND_TOKEN = 'second-admin-token-0123456789abcdef';

const database = createTestDatabase();

afterAll(async () => {
  await database.drop();
});

/** Starts the server on the shared database with this admin token (none: a generated one). */
async function startWith(adminToken: string | undefined) {
  return startTestServer({ adminToken }, database);
}

const readIntegration = (url: string, token: string) => fetch(`${url}/api/v1/integration`, { headers: { authorization: `Bearer ${token}` } });

async function openPageSession(url: string, token: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  expect(res.status).toBe(201);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

const readWithCookie = (url: string, cookie: string) => fetch(`${url}/api/v1/integration`, { headers: { cookie } });

describe('changing UCBRIDGE_ADMIN_TOKEN', () => {
  it('retires the generated token, then the earlier configured one, with the page sessions they opened', async () => {
    const first = await startWith(undefined);
    const generated = first.generatedAdminToken ?? '';
    expect(generated).toMatch(/^ucb_admin_/);
    const generatedSession = await openPageSession(first.url, generated);
    await first.close();

    const second = await startWith(FIRST_TOKEN);
    expect(second.generatedAdminToken).toBeUndefined();
    expect((await readIntegration(second.url, generated)).status).toBe(401);
    expect((await readWithCookie(second.url, generatedSession)).status).toBe(401);
    expect((await readIntegration(second.url, FIRST_TOKEN)).status).toBe(200);
    const firstSession = await openPageSession(second.url, FIRST_TOKEN);
    await second.close();

    // The same token again keeps its sessions: only a change retires anything.
    const same = await startWith(FIRST_TOKEN);
    expect((await readWithCookie(same.url, firstSession)).status).toBe(200);
    await same.close();

    const third = await startWith(SECOND_TOKEN);
    expect((await readIntegration(third.url, FIRST_TOKEN)).status).toBe(401);
    expect((await readWithCookie(third.url, firstSession)).status).toBe(401);
    expect((await readIntegration(third.url, SECOND_TOKEN)).status).toBe(200);
    await third.close();
  });
});
