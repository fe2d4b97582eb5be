import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setExtensionStatus, type PresenceMapping } from '../../server/presence/index.js';
import { DEFAULT_TENANT } from '../../server/store/index.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { startSsoEnv, type SsoEnv } from '../server/sso/support.js';

const EXAMPLE_DIST = fileURLToPath(new URL('../../dist/sdk-example/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.map': 'application/json' };

/** A tiny static server for the built example page, on loopback. */
async function serveStatic(root: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://x').pathname).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path === '/' ? 'index.html' : path);
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let env: SsoEnv;
let site: { server: Server; origin: string };
let browser: ChromiumSession;
let page: Page;
let extension: { id: string; number: string };

/** Every test ends with no uncaught error in the example's pages. */
afterEach(() => {
  expect(browser.takeErrors(), 'uncaught errors of the example page').toEqual([]);
});

beforeAll(async () => {
  await build({ configFile: fileURLToPath(new URL('../../sdk/example/vite.config.ts', import.meta.url)) });
  env = await startSsoEnv();
  site = await serveStatic(EXAMPLE_DIST);
  env.emu.state.readApp.redirectUris.push({ uri: `${site.origin}/redirect.html`, type: 'spa' });
  expect((await env.setSso({ enabled: true, allowedOrigins: [site.origin] })).status).toBe(200);
  extension = await env.addExtension({ number: '4711' });
  // An activity override the example's form does not show: saving from the page must keep it.
  const mapping = await env.server.admin(`/api/v1/extensions/${extension.id}/presence-mapping`, { method: 'PUT', body: { activity: { InAMeeting: 'away' } } });
  expect(mapping.status).toBe(200);
  browser = await launchChromium({ spkiList: env.emu.spkiList });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.server.close(resolve));
  await env?.stop();
});

describe('SDK example page against the emulator', () => {
  it('signs in with msal-browser, edits the mapping and receives live status', async () => {
    const user = env.user(0);
    const query = new URLSearchParams({
      server: env.server.url,
      clientId: env.emu.clientId,
      authority: `${env.emu.authority}/${env.emu.tenantId}`,
      loginHint: user.upn,
    });
    await page.goto(`${site.origin}/index.html?${query.toString()}`);
    await page.click('#sign-in');
    await page.locator('#extension-number').filter({ hasText: '4711' }).waitFor({ timeout: 20_000 });
    expect(await page.textContent('#error')).toBe('');
    expect(await page.textContent('#user-name')).toBe(user.displayName);
    await page.locator('#status').filter({ hasText: 'available' }).waitFor();

    // Real MSAL round trips against the emulator, and the exchange used a server nonce.
    expect(env.emu.services.log.list({ path: '/oauth2/v2.0/authorize' }).length).toBeGreaterThan(0);
    expect(env.emu.services.log.list({ path: '/oauth2/v2.0/token', method: 'POST' }).length).toBeGreaterThan(0);
    const nonces = await env.server.store.db.selectFrom('sso_challenge').select('used_at').where('kind', '=', 'nonce').execute();
    expect(nonces.map((n) => n.used_at !== null)).toEqual([true]);

    // The server linked the session to the right extension.
    const sessions = await env.server.store.db.selectFrom('session').select('extension_id').where('revoked_at', 'is', null).execute();
    expect(sessions.map((s) => s.extension_id)).toEqual([extension.id]);

    // Edit the mapping through the SDK, then read it back.
    await page.check('input[name="enabled"]');
    await page.selectOption('select[name="Busy"]', 'lunch');
    await page.click('button[type="submit"]');
    await page.locator('#saved').filter({ hasText: 'Saved' }).waitFor();
    const stored = await env.server.store.db.selectFrom('presence_mapping').select('value').where('extension_id', '=', extension.id).executeTakeFirstOrThrow();
    const saved = JSON.parse(stored.value) as PresenceMapping;
    expect(saved).toMatchObject({ enabled: true, availability: { Busy: 'lunch', Available: 'available' } });
    expect(saved.activity).toEqual({ InAMeeting: 'away' });
    await page.selectOption('select[name="Busy"]', 'away');
    await page.click('#reload');
    await expect.poll(() => page.inputValue('select[name="Busy"]')).toBe('lunch');

    // A status change published on the server's bus arrives through presence.subscribe.
    await setExtensionStatus(env.server.store, DEFAULT_TENANT, extension.id, { status: 'do_not_disturb', source: 'teams', teamsAvailability: 'Busy' });
    await page.locator('#status').filter({ hasText: 'do_not_disturb' }).waitFor();
    expect(await page.textContent('#status-source')).toBe('(teams)');

    // Signing out ends the PBX session.
    await page.click('#sign-out');
    await page.locator('#sign-in').waitFor();
    await expect
      .poll(async () => (await env.server.store.db.selectFrom('session').select('id').where('revoked_at', 'is', null).execute()).length)
      .toBe(0);
  });

  it('signs in through the server web flow (serverFlowAuth)', async () => {
    const fresh = await browser.context.newPage();
    const query = new URLSearchParams({ server: env.server.url, flow: 'server', loginHint: env.user(0).upn });
    await fresh.goto(`${site.origin}/index.html?${query.toString()}`);
    await fresh.click('#sign-in');
    await fresh.locator('#extension-number').filter({ hasText: '4711' }).waitFor({ timeout: 20_000 });
    // The session left the URL once it was read.
    expect(new URL(fresh.url()).hash).toBe('');
    await fresh.locator('#status').filter({ hasText: 'do_not_disturb' }).waitFor();
    await fresh.close();
  });

  it('ignores a session planted in the URL fragment by a link (login CSRF): only a sign-in the tab started completes', async () => {
    // Someone else's valid session, as an attacker would copy it from their own sign-in.
    const exchanged = await env.post('/api/v1/sso/token', { idToken: await env.idToken() });
    expect(exchanged.status).toBe(201);
    const session = (await exchanged.json()) as { accessToken: string; refreshToken: string };
    const planted = new URLSearchParams({ accessToken: session.accessToken, refreshToken: session.refreshToken, expiresIn: '900', refreshExpiresIn: '1209600' });
    const fresh = await browser.context.newPage();
    const query = new URLSearchParams({ server: env.server.url, flow: 'server' });
    await fresh.goto(`${site.origin}/index.html?${query.toString()}#${planted.toString()}`);
    await expect.poll(() => new URL(fresh.url()).hash).toBe('');
    await fresh.waitForLoadState('networkidle');
    expect(await fresh.isVisible('#sign-in')).toBe(true);
    expect(await fresh.textContent('#extension-number')).not.toContain('4711');
    await fresh.close();
  });
});
