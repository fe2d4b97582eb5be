import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../../support/server.js';

let server: TestServer;

interface PageSession {
  /** Cookie header value carrying both cookies, as a browser would send it. */
  cookie: string;
  csrf: string;
  token: string;
  setCookies: string[];
}

const cookieValue = (setCookies: string[], name: string): string => {
  const line = setCookies.find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie in ${setCookies.join(' | ')}`);
  return decodeURIComponent(line.slice(name.length + 1).split(';')[0] ?? '');
};

async function signIn(base = server.url, headers: Record<string, string> = {}): Promise<PageSession> {
  const res = await fetch(`${base}/api/v1/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ token: TEST_ADMIN_TOKEN }),
  });
  expect(res.status).toBe(201);
  expect(await res.json()).toEqual({ label: 'env', via: 'session' });
  const setCookies = res.headers.getSetCookie();
  const token = cookieValue(setCookies, 'ucb_admin_session');
  const csrf = cookieValue(setCookies, 'ucb_admin_csrf');
  return { cookie: `ucb_admin_session=${token}; ucb_admin_csrf=${csrf}`, csrf, token, setCookies };
}

const withCookie = (session: PageSession, path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${server.url}${path}`, { method: init.method ?? 'GET', headers: { cookie: session.cookie, ...init.headers } });

const errorCode = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

// One server at a time: each test server gets its own database (PostgreSQL schema).
describe('over plain http', () => {
  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.stop();
  });

  describe('admin page sign-in', () => {
    it('refuses a wrong admin token without setting cookies', async () => {
      const res = await fetch(`${server.url}/api/v1/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'not-the-admin-token-at-all' }),
      });
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('admin_token_invalid');
      expect(res.headers.getSetCookie()).toEqual([]);
    });

    it('sets an HttpOnly, SameSite=Strict session cookie and a readable CSRF cookie (not Secure over http)', async () => {
      const { setCookies } = await signIn();
      const session = setCookies.find((c) => c.startsWith('ucb_admin_session='));
      const csrf = setCookies.find((c) => c.startsWith('ucb_admin_csrf='));
      expect(session).toMatch(/; Path=\/api\/; Max-Age=43200; SameSite=Strict; HttpOnly$/);
      expect(csrf).toMatch(/; Path=\/; Max-Age=43200; SameSite=Strict$/);
    });

    it('stores only hashes of the session and CSRF tokens', async () => {
      const { token, csrf } = await signIn();
      const sha = (v: string) => createHash('sha256').update(v).digest('hex');
      const rows = await server.store.db.selectFrom('admin_session').selectAll().execute();
      const row = rows.find((r) => r.token_hash === sha(token));
      expect(row).toMatchObject({ csrf_hash: sha(csrf), label: 'env', tenant_id: 'default' });
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(JSON.stringify(rows)).not.toContain(csrf);
    });

    it('lets the cookie read admin routes without a bearer token', async () => {
      const session = await signIn();
      const res = await withCookie(session, '/api/v1/integration');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'disconnected' });
      const who = await withCookie(session, '/api/v1/admin/session');
      expect(await who.json()).toEqual({ label: 'env', via: 'session' });
    });

    it('records the sign-in in the audit log', async () => {
      await signIn();
      const res = await server.admin('/api/v1/audit-log?limit=5');
      const { items } = (await res.json()) as { items: Array<{ actor: string; action: string }> };
      expect(items).toContainEqual(expect.objectContaining({ actor: 'admin:env', action: 'POST /api/v1/admin/session' }));
    });
  });

  describe('CSRF protection', () => {
    it('refuses a change made with the cookie but without the CSRF header', async () => {
      const session = await signIn();
      const res = await withCookie(session, '/api/v1/admin/session', { method: 'DELETE' });
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('csrf_token_invalid');
      expect((await withCookie(session, '/api/v1/integration')).status).toBe(200);
    });

    it('refuses a wrong CSRF header, and one that matches the cookie but belongs to another session', async () => {
      const a = await signIn();
      const b = await signIn();
      const wrong = await withCookie(a, '/api/v1/admin/session', { method: 'DELETE', headers: { 'x-csrf-token': 'guess' } });
      expect(await errorCode(wrong)).toBe('csrf_token_invalid');
      // An attacker who planted their own CSRF cookie and header still fails: the token is bound to the session.
      const planted = await fetch(`${server.url}/api/v1/admin/session`, {
        method: 'DELETE',
        headers: { cookie: `ucb_admin_session=${a.token}; ucb_admin_csrf=${b.csrf}`, 'x-csrf-token': b.csrf },
      });
      expect(planted.status).toBe(403);
      expect(await errorCode(planted)).toBe('csrf_token_invalid');
      // The header alone, without the matching cookie, is not enough either.
      const headerOnly = await fetch(`${server.url}/api/v1/admin/session`, {
        method: 'DELETE',
        headers: { cookie: `ucb_admin_session=${a.token}`, 'x-csrf-token': a.csrf },
      });
      expect(headerOnly.status).toBe(403);
    });

    it('does not ask bearer-token callers for a CSRF token', async () => {
      const res = await server.admin('/api/v1/admin/session', { method: 'DELETE' });
      expect(res.status).toBe(204);
    });
  });

  describe('session end', () => {
    it('signs out: the session is deleted and both cookies are cleared', async () => {
      const session = await signIn();
      const res = await withCookie(session, '/api/v1/admin/session', { method: 'DELETE', headers: { 'x-csrf-token': session.csrf } });
      expect(res.status).toBe(204);
      const cleared = res.headers.getSetCookie();
      expect(cleared).toContainEqual(expect.stringMatching(/^ucb_admin_session=; Path=\/api\/; Max-Age=0;/));
      expect(cleared).toContainEqual(expect.stringMatching(/^ucb_admin_csrf=; Path=\/; Max-Age=0;/));
      const after = await withCookie(session, '/api/v1/integration');
      expect(after.status).toBe(401);
      expect(await errorCode(after)).toBe('admin_session_invalid');
    });

    it('expires a session after its absolute lifetime', async () => {
      const session = await signIn();
      const hash = createHash('sha256').update(session.token).digest('hex');
      await server.store.db
        .updateTable('admin_session')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('token_hash', '=', hash)
        .execute();
      const res = await withCookie(session, '/api/v1/integration');
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('admin_session_invalid');
      const left = await server.store.db.selectFrom('admin_session').select('id').where('token_hash', '=', hash).execute();
      expect(left).toEqual([]);
    });

    it('expires a session left idle for more than 30 minutes', async () => {
      const session = await signIn();
      const hash = createHash('sha256').update(session.token).digest('hex');
      await server.store.db
        .updateTable('admin_session')
        .set({ last_used_at: new Date(Date.now() - 31 * 60 * 1000).toISOString() })
        .where('token_hash', '=', hash)
        .execute();
      const res = await withCookie(session, '/api/v1/integration');
      expect(await errorCode(res)).toBe('admin_session_invalid');
    });
  });
});

describe('behind an HTTPS proxy', () => {
  let proxied: TestServer;

  beforeAll(async () => {
    proxied = await startTestServer({ trustProxy: 'true', authRateLimit: 3 });
  });

  afterAll(async () => {
    await proxied.stop();
  });

  it('marks both cookies Secure', async () => {
    const { setCookies } = await signIn(proxied.url, { 'x-forwarded-proto': 'https' });
    expect(setCookies).toHaveLength(2);
    for (const cookie of setCookies) expect(cookie).toMatch(/; Secure$/);
  });

  it('rate-limits sign-in attempts', async () => {
    const attempt = () =>
      fetch(`${proxied.url}/api/v1/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'wrong-wrong-wrong-wrong' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await attempt()).status);
    expect(statuses).toContain(429);
  });
});
