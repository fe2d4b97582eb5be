import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { browser as ExtensionApi } from '../../extension/platform/browser.js';
import { STATUS_COLOURS } from '../../extension/presence.js';
import { waitForContactRun } from '../../server/contacts/index.js';
import { presenceServiceFor, statusBusFor, type PresenceMapping } from '../../server/presence/index.js';
import { DEFAULT_TENANT } from '../../server/store/index.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { connectIntegration, insertSyncedExtensions, mailboxUsers, type PresenceUser } from '../server/presence/support.js';
import { buildExtension, REPO_ROOT } from './build.js';

/**
 * The Chrome build, loaded unpacked into headless Chromium, against a real server connected to
 * the Entra/Graph emulator. Sign-in goes through the browser's real web-auth window
 * (identity.launchWebAuthFlow): with a login hint the emulator answers without a page, as
 * Entra does for a known user who already consented.
 *
 * One thing differs from a user's browser: the copy of the build under test lists the loopback
 * origin in `host_permissions`, so Chrome grants our runtime `permissions.request` without its
 * native prompt (which no automation can click). The extension's code path is unchanged.
 */
/** What `chrome` is inside the extension's pages (evaluated there; the polyfill's promise types fit Chrome's MV3 API). */
declare const chrome: typeof ExtensionApi;

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/extension');
const LANGUAGES = ['en', 'de', 'zh-CN'] as const;

let out = '';
let emu: TestEmulator;
let server: TestServer;
let chromium: ChromiumSession;
let user: PresenceUser;
let upn = '';
let displayName = '';
let number = '';
let extensionUrl = '';

function unpackedForTest(build: string): string {
  const dir = join(build, 'chrome');
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, host_permissions: ['http://127.0.0.1/*'] }));
  return dir;
}

async function worker(): Promise<Worker> {
  const [sw] = chromium.context.serviceWorkers();
  return sw ?? chromium.context.waitForEvent('serviceworker');
}

/** Every test ends with no uncaught error in the extension's pages. */
afterEach(() => {
  expect(chromium.takeErrors(), 'uncaught errors of the extension pages').toEqual([]);
});

async function extensionPage(path: string, viewport = { width: 960, height: 900 }): Promise<Page> {
  const page = await chromium.context.newPage();
  await page.setViewportSize(viewport);
  await page.goto(`${extensionUrl}/${path}`);
  return page;
}

/** The toolbar button as the user sees it: badge colour (hex) and title. */
async function toolbar(page: Page): Promise<{ colour: string; title: string }> {
  return page.evaluate(async () => {
    const [r, g, b] = await chrome.action.getBadgeBackgroundColor({});
    const hex = (n: number | undefined) => (n ?? 0).toString(16).padStart(2, '0');
    return { colour: `#${hex(r)}${hex(g)}${hex(b)}`, title: await chrome.action.getTitle({}) };
  });
}

async function waitForToolbar(page: Page, expected: { colour: string; title: string }): Promise<void> {
  await expect.poll(() => toolbar(page), { timeout: 15_000, interval: 200 }).toEqual(expected);
}

async function setLanguage(lang: string): Promise<void> {
  const page = await extensionPage('options/index.html');
  await page.selectOption('#language', lang);
  // The setting is saved asynchronously: closing the page first could lose it (seen under load).
  await expect.poll(() => page.getAttribute('html', 'lang')).toBe(lang === 'auto' ? 'en' : lang);
  await page.close();
}

async function teams(availability: string, activity: string): Promise<void> {
  emu.ops.setPresence(user.oid, { availability, activity });
  const service = presenceServiceFor(server.store);
  if (!service) throw new Error('the presence service is not running');
  await service.pollTeams(DEFAULT_TENANT);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  out = buildExtension();
  const dir = unpackedForTest(out);
  emu = await startTestEmulator({ users: 12, seed: 5 });
  server = await startTestServer({ graphCaFile: emu.caFile });
  await connectIntegration(server.store, emu);
  const [entraUser] = mailboxUsers(emu, 1);
  if (!entraUser) throw new Error('no emulator user');
  ({ upn, name: displayName } = entraUser);
  [user] = (await insertSyncedExtensions(server.store, emu.tenantId, [entraUser], 4100)) as [PresenceUser];
  number = '4100';
  expect((await server.admin('/api/v1/settings/sso', { method: 'PUT', body: { enabled: true } })).status).toBe(200);
  const presence = await server.admin('/api/v1/settings/presence-sync', {
    method: 'PUT',
    body: { enabled: true, pollSeconds: 3600, calendarPollSeconds: 3600 },
  });
  expect(presence.status).toBe(200);
  chromium = await launchChromium({
    spkiList: emu.spkiList,
    extraArgs: ['--headless=new', `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  const sw = await worker();
  extensionUrl = `chrome-extension://${new URL(sw.url()).host}`;
  emu.ops.addRedirectUri(`https://${new URL(sw.url()).host}.chromiumapp.org/`, 'spa');
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await server?.stop();
  await emu?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('the browser extension', () => {
  it('shows the signed-out toolbar state and asks for a server first', async () => {
    const popup = await extensionPage('popup/index.html', { width: 360, height: 500 });
    await expect.poll(() => popup.textContent('main')).toContain('Set the address of your ucbridge server first.');
    expect((await toolbar(popup)).title).toBe('ucbridge — not signed in');
    await popup.close();
  });

  it('saves the server address as an origin, after the browser granted access to it', async () => {
    const options = await extensionPage('options/index.html');
    await options.fill('#server-url', `${server.url}/admin/`);
    await options.click('#save-server');
    await expect.poll(() => options.textContent('.success')).toBe(`Saved. The extension may now contact ${server.url}.`);
    const stored = await options.evaluate(async () => (await chrome.storage.local.get('settings')).settings as { serverUrl: string });
    expect(stored.serverUrl).toBe(server.url);
    expect(await options.evaluate((origin) => chrome.permissions.contains({ origins: [`${origin}/*`] }), server.url)).toBe(true);
    await options.fill('#server-url', 'http://pbx.example.com');
    await options.click('#save-server');
    await expect.poll(() => options.textContent('.problem')).toBe('Enter an address such as https://pbx.example.com (https, or http only for localhost).');
    await options.close();
  });

  it('signs in with Microsoft through the web-auth window and keeps tokens out of persistent storage', async () => {
    const options = await extensionPage('options/index.html');
    await options.fill('#account-hint', upn);
    // The server names its Entra app with the sign-in nonce: the manual details are only a folded-away override.
    await expect.poll(() => options.getAttribute('#entra-details', 'data-from-server')).toBe('true');
    expect(await options.textContent('#entra-details summary')).toBe('Advanced: sign in with another Entra app');
    expect(await options.isVisible('#entra-authority')).toBe(false);
    await options.click('#sign-in');
    await expect.poll(() => options.textContent('#signed-in-as'), { timeout: 20_000 }).toBe(`Signed in as ${displayName} (extension ${number}).`);
    // The user's mapping loads on the page they signed in on, not only when it is opened again.
    await expect.poll(() => options.isVisible('#availability-Busy')).toBe(true);
    const storage = await options.evaluate(async () => ({
      session: await chrome.storage.session.get(null),
      local: JSON.stringify(await chrome.storage.local.get(null)),
      pageStorage: localStorage.length + sessionStorage.length,
    }));
    const pbx = storage.session.pbxSession as { serverUrl: string; accessToken: string };
    expect(pbx.serverUrl).toBe(server.url);
    expect(pbx.accessToken).toMatch(/^ucb_at_/);
    expect(storage.local).not.toMatch(/ucb_(at|rt)_/);
    expect(storage.pageStorage).toBe(0);
    await options.close();
  });

  it('edits the mapping table and stores it on the server', async () => {
    const options = await extensionPage('options/index.html');
    await options.waitForSelector('#availability-Busy');
    expect(await options.locator('#availability-Busy option').allTextContents()).toEqual([
      'No change', 'Available', 'Away', 'Business trip', 'Do not disturb', 'Lunch', 'Off work',
    ]);
    expect(await options.locator('select[id^="availability-"]').count()).toBe(9);
    expect(await options.locator('select[id^="activity-"]').count()).toBe(8);
    await options.selectOption('#availability-Busy', 'lunch');
    await options.selectOption('#activity-InACall', '');
    await options.check('#sync-enabled');
    await options.click('#save-mapping');
    await expect.poll(() => options.textContent('#mapping-saved')).toBe('Mapping saved.');
    const res = await server.admin(`/api/v1/extensions/${user.extensionId}/presence-mapping`);
    const mapping = (await res.json()) as PresenceMapping;
    expect(mapping.enabled).toBe(true);
    expect(mapping.availability.Busy).toBe('lunch');
    expect(mapping.availability.Away).toBe('away');
    expect(mapping.activity).not.toHaveProperty('InACall');
    expect(mapping.activity.InAMeeting).toBe('do_not_disturb');
    await options.close();
  });

  it('shows the status on the toolbar badge as Teams presence changes it', async () => {
    const page = await extensionPage('options/index.html');
    await teams('Away', 'Away');
    await waitForToolbar(page, { colour: STATUS_COLOURS.away, title: 'ucbridge — Away' });
    // Busy maps to lunch now (the mapping saved above), and a call no longer has its own entry.
    await teams('Busy', 'InACall');
    await waitForToolbar(page, { colour: STATUS_COLOURS.lunch, title: 'ucbridge — Lunch' });
    // The alarm that brings the stream back after Chrome stopped the idle worker.
    expect(await page.evaluate(() => chrome.alarms.get('ucbridge-keep-stream'))).toMatchObject({ periodInMinutes: 1 });
    await teams('DoNotDisturb', 'Presenting');
    await waitForToolbar(page, { colour: STATUS_COLOURS.do_not_disturb, title: 'ucbridge — Do not disturb' });
    await page.close();
  });

  it('greys the badge while the stream reconnects, and shows the status again once it is back', async () => {
    const page = await extensionPage('options/index.html');
    const dnd = { colour: STATUS_COLOURS.do_not_disturb, title: 'ucbridge — Do not disturb' };
    await waitForToolbar(page, dnd);
    // The server ends the stream; the client resumes with Last-Event-ID and nothing was missed,
    // so the resumed stream sends no status at all.
    expect(statusBusFor(server.store).end(DEFAULT_TENANT, user.extensionId, 'test_reconnect')).toBe(1);
    await waitForToolbar(page, { colour: '#9aa0a6', title: 'ucbridge — reconnecting to the server…' });
    await waitForToolbar(page, dnd);
    expect(statusBusFor(server.store).subscribed()).toContainEqual({ tenantId: DEFAULT_TENANT, extensionId: user.extensionId });
    await page.close();
  });

  it('popup: who I am, my status and Teams presence, the status picker', async () => {
    const popup = await extensionPage('popup/index.html', { width: 360, height: 640 });
    await expect.poll(() => popup.textContent('#me-name')).toBe(displayName);
    expect(await popup.textContent('#me-extension')).toBe(`Extension ${number}`);
    await expect.poll(() => popup.getAttribute('#current-status', 'data-status')).toBe('do_not_disturb');
    expect(await popup.textContent('#current-status')).toBe('Do not disturb');
    expect(await popup.textContent('#teams-presence')).toBe('Do not disturb · Presenting');
    expect(await popup.locator('#status-picker option').allTextContents()).toEqual([
      'Available', 'Away', 'Business trip', 'Do not disturb', 'Lunch', 'Off work',
    ]);
    await popup.close();
  });

  it('sets a status by hand from the popup picker: stored on the server, shown on the badge', async () => {
    const popup = await extensionPage('popup/index.html', { width: 360, height: 640 });
    await expect.poll(() => popup.getAttribute('#current-status', 'data-status')).toBe('do_not_disturb');
    const serverStatus = async () => (await (await server.admin(`/api/v1/extensions/${user.extensionId}/status`)).json()) as { status: string; source: string };
    for (const [status, words] of [['business_trip', 'Business trip'], ['do_not_disturb', 'Do not disturb']] as const) {
      await popup.selectOption('#status-picker', status);
      await expect.poll(() => popup.textContent('.success')).toBe(`Status set to ${words}.`);
      expect(await serverStatus()).toMatchObject({ status, source: 'user' });
      await waitForToolbar(popup, { colour: STATUS_COLOURS[status], title: `ucbridge — ${words}` });
      await expect.poll(() => popup.getAttribute('#current-status', 'data-status')).toBe(status);
    }
    expect(await popup.textContent('#current-status + p')).toMatch(/^set by you/);
    await popup.close();
  });

  it("searches the user's Outlook contacts (synced into their personal phonebook) and dials them", async () => {
    emu.ops.createContact(user.oid, { givenName: 'Dora', surname: 'Dialer', businessPhones: ['+1 (425) 555-0142 x23'], mobilePhone: '+49 170 1234567' });
    const saved = await server.admin('/api/v1/settings/contact-sync', { method: 'PUT', body: { personal: { enabled: true } } });
    expect(saved.status).toBe(200);
    await waitForContactRun(server.store, saved.headers.get('x-sync-run-id') ?? '');
    const popup = await extensionPage('popup/index.html', { width: 360, height: 640 });
    await popup.fill('#contact-search', 'dora');
    const links = popup.locator('ul.contacts li', { hasText: 'Dora Dialer' }).locator('a');
    await expect.poll(() => links.count()).toBe(2);
    const dial = async () => Promise.all((await links.all()).map(async (a) => [await a.textContent(), await a.getAttribute('href')]));
    // The extension suffix is no part of the number: tel: carries it as RFC 3966's ;ext=.
    expect(await dial()).toEqual([
      ['+1 (425) 555-0142 x23', 'tel:+14255550142;ext=23'],
      ['+49 170 1234567', 'tel:+491701234567'],
    ]);
    expect(await links.first().getAttribute('aria-label')).toBe('Call Dora Dialer on +1 (425) 555-0142 x23');
    await popup.fill('#contact-search', '555 0142');
    await expect.poll(() => popup.locator('ul.contacts li').allTextContents()).toEqual([expect.stringContaining('Dora Dialer')]);
    await popup.fill('#contact-search', 'nobody by this name');
    await expect.poll(() => popup.isVisible('ul.contacts')).toBe(false);
    await popup.close();
  });

  it('speaks English, German and Chinese (screenshots of popup and options)', async () => {
    const expected = {
      en: { options: 'ucbridge settings', status: 'Extension status', badge: 'ucbridge — Do not disturb', busy: 'Busy' },
      de: { options: 'ucbridge-Einstellungen', status: 'Status der Nebenstelle', badge: 'ucbridge — Nicht stören', busy: 'Beschäftigt' },
      'zh-CN': { options: 'ucbridge 设置', status: '分机状态', badge: 'ucbridge — 请勿打扰', busy: '忙碌' },
    };
    for (const lang of LANGUAGES) {
      await setLanguage(lang);
      const options = await extensionPage('options/index.html');
      await expect.poll(() => options.textContent('h1')).toBe(expected[lang].options);
      expect(await options.getAttribute('html', 'lang')).toBe(lang);
      await options.waitForSelector('#availability-Busy');
      expect(await options.textContent('label[for="availability-Busy"]')).toBe(expected[lang].busy);
      await waitForToolbar(options, { colour: STATUS_COLOURS.do_not_disturb, title: expected[lang].badge });
      await options.screenshot({ path: join(ARTIFACTS, `options-${lang}.png`), fullPage: true });
      await options.close();
      const popup = await extensionPage('popup/index.html', { width: 360, height: 640 });
      await expect.poll(() => popup.textContent('#status-heading')).toBe(expected[lang].status);
      await popup.waitForSelector('#current-status');
      await popup.screenshot({ path: join(ARTIFACTS, `popup-${lang}.png`) });
      await popup.close();
    }
    await setLanguage('auto');
  });

  it('signs out from the popup: session gone here and on the server', async () => {
    const popup = await extensionPage('popup/index.html', { width: 360, height: 640 });
    const refreshToken = await popup.evaluate(async () => ((await chrome.storage.session.get('pbxSession')).pbxSession as { refreshToken: string }).refreshToken);
    await popup.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => popup.textContent('main')).toContain('You are not signed in.');
    expect(await popup.evaluate(async () => (await chrome.storage.session.get('pbxSession')).pbxSession)).toBeUndefined();
    await expect.poll(async () => (await toolbar(popup)).title).toBe('ucbridge — not signed in');
    const refresh = await fetch(`${server.url}/api/v1/sso/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    expect(refresh.status).toBe(401);
    await popup.close();
  });
});
