import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { de } from '../../server/admin-ui/i18n/messages/de.js';
import { en, type MessageKey, type Messages } from '../../server/admin-ui/i18n/messages/en.js';
import { zhCN } from '../../server/admin-ui/i18n/messages/zh-CN.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import type { ChromiumSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ARTIFACTS, browserIn, buildAdminUi, connectAndSync, runsSucceeded, signIn, VIEWPORTS } from './support.js';

let emu: Emulator;
let server: TestServer;

/** Each section: its address, its heading, and another text that must be on screen. */
const SCREENS: Array<{ path: string; title: MessageKey; also: MessageKey }> = [
  { path: 'connection', title: 'connection.title', also: 'connection.permissionsTitle' },
  { path: 'user-sync', title: 'userSync.title', also: 'userSync.numbering' },
  { path: 'group-sync', title: 'groupSync.title', also: 'groupSync.scope' },
  { path: 'contacts', title: 'contacts.title', also: 'contacts.syncNow' },
  { path: 'presence', title: 'presence.title', also: 'presence.health' },
  { path: 'sso', title: 'sso.title', also: 'sso.enabled' },
  { path: 'schedule', title: 'schedule.title', also: 'schedule.timeZone' },
  { path: 'sync-log', title: 'syncLog.title', also: 'syncLog.syncNow' },
  { path: 'extensions', title: 'extensions.title', also: 'directory.lockedTitle' },
  { path: 'groups', title: 'groups.title', also: 'groups.caption' },
  { path: 'webhooks', title: 'webhooks.title', also: 'webhooks.caption' },
];

beforeAll(async () => {
  await buildAdminUi();
  emu = await startEmulator({ users: 25, seed: 11 });
  server = await startTestServer({ graphCaFile: emu.caFile });
  await connectAndSync(server, emu);
  // Data for the Contacts and Webhooks screens: a company phonebook and an endpoint.
  await server.admin('/api/v1/settings/contact-sync', { method: 'PUT', body: { shared: { enabled: true } } });
  await server.admin('/api/v1/webhook-endpoints', { method: 'POST', body: { url: 'http://127.0.0.1:9/hooks', events: ['extension.*'], enabled: false } });
  await runsSucceeded(server);
});

afterAll(async () => {
  await server?.stop();
  await emu?.close();
});

/** Waits for a text; failing, says what the section showed instead (an error notice, say) and keeps a screenshot. */
async function waitForText(page: Page, text: string, label: string): Promise<void> {
  try {
    await page.getByText(text, { exact: true }).first().waitFor();
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, `${label}-failed.png`), fullPage: true });
    throw new Error(`"${text}" did not appear on ${label}; the section showed: ${await page.locator('main').innerText()}`, { cause: error });
  }
}

/** Visits every section at both widths, checks its texts, saves the screenshots. */
async function screens(session: ChromiumSession, page: Page, lang: string, messages: Messages): Promise<void> {
  for (const screen of SCREENS) {
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`${server.url}/admin/${screen.path}`);
    const heading = page.locator('main h1');
    await expect.poll(() => heading.textContent()).toBe(messages[screen.title]);
    await waitForText(page, messages[screen.also], `${lang}-${screen.path}`);
    // The section's data arrives in more than one answer: give the last one time to render too.
    await page.waitForLoadState('networkidle');
    expect(session.takeErrors(), `${lang}-${screen.path}`).toEqual([]);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    await page.screenshot({ path: join(ARTIFACTS, `${lang}-${screen.path}-1280.png`), fullPage: true });
    await page.setViewportSize(VIEWPORTS.phone);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS.phone.width);
    await page.screenshot({ path: join(ARTIFACTS, `${lang}-${screen.path}-390.png`), fullPage: true });
  }
}

describe('the admin page in each language', () => {
  let browser: ChromiumSession | undefined;

  afterAll(async () => {
    await browser?.close();
  });

  it('follows a German browser and shows every section in German', { timeout: 120_000 }, async () => {
    browser = await browserIn('de-DE');
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/admin/`);
    await page.screenshot({ path: join(ARTIFACTS, 'de-sign-in-1280.png') });
    expect(await page.locator('#sign-in-title').textContent()).toBe('Bei ucbridge anmelden');
    await signIn(page, server.url);
    await screens(browser, page, 'de', de);
    // A few fixed German strings, independent of the catalogue file.
    await page.goto(`${server.url}/admin/sync-log`);
    await page.getByRole('button', { name: 'Jetzt synchronisieren' }).waitFor();
    expect(await page.locator('tbody [data-status="succeeded"]').first().textContent()).toBe('Erfolgreich');
    await page.goto(`${server.url}/admin/extensions`);
    await page.getByRole('columnheader', { name: 'Abteilung' }).waitFor();
    await page.goto(`${server.url}/admin/connection`);
    expect(await page.locator('[data-status]').first().textContent()).toBe('Verbunden');
    await page.goto(`${server.url}/admin/contacts`);
    await page.getByRole('button', { name: 'Kontakte jetzt synchronisieren' }).waitFor();
    await expect.poll(() => page.locator('tr[data-phonebook] td').nth(1).textContent()).toBe('Firma');
    await page.goto(`${server.url}/admin/webhooks`);
    await page.getByRole('button', { name: 'Endpunkt hinzufügen' }).waitFor();
    await expect.poll(() => page.locator('[data-endpoint-state]').first().textContent()).toBe('Deaktiviert');
    expect(await page.locator('[data-disabled-reason]').first().textContent()).toBe('Von einem Administrator ausgeschaltet.');
    await browser.close();
    browser = undefined;
  });

  it('switches to Chinese by the language setting, remembers it, and shows every section in Chinese', { timeout: 120_000 }, async () => {
    browser = await browserIn('en-US');
    const page = await browser.context.newPage();
    await signIn(page, server.url);
    await screens(browser, page, 'en', en);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.reload();
    await expect.poll(() => page.locator('main h1').textContent()).not.toBe(en['groups.title']);
    await screens(browser, page, 'zh-CN', zhCN);
    await page.goto(`${server.url}/admin/sync-log`);
    await page.getByRole('button', { name: '立即同步' }).waitFor();
    expect(await page.locator('tbody [data-status="succeeded"]').first().textContent()).toBe('成功');
    await page.goto(`${server.url}/admin/presence`);
    await page.getByRole('columnheader', { name: '设置者' }).waitFor();
    await page.goto(`${server.url}/admin/contacts`);
    await page.getByRole('button', { name: '立即同步联系人' }).waitFor();
    await page.goto(`${server.url}/admin/webhooks`);
    await page.getByRole('button', { name: '添加端点' }).waitFor();
    await expect.poll(() => page.locator('[data-endpoint-state]').first().textContent()).toBe('已停用');
    // Dates follow the language through Intl: Chinese dates carry 年/月/日.
    await page.goto(`${server.url}/admin/connection`);
    await expect.poll(() => page.locator('.facts dd').last().textContent()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
  });
});
