import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';
import type { ChromiumSession } from '../support/chromium.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../support/server.js';
import { ARTIFACTS, browserIn, buildAdminUi, VIEWPORTS } from './support.js';

let emu: Emulator;
let server: TestServer;
let browser: ChromiumSession;
let page: Page;

beforeAll(async () => {
  await buildAdminUi();
  emu = await startEmulator({ users: 40, seed: 7 });
  server = await startTestServer({ graphCaFile: emu.caFile });
  browser = await browserIn('en-US');
  page = await browser.context.newPage();
  await page.setViewportSize(VIEWPORTS.desktop);
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    await page.screenshot({ path: join(ARTIFACTS, `failed-${context.task.name.replace(/\W+/g, '-')}.png`), fullPage: true });
  }
  expect(browser.takeErrors(), 'uncaught errors of the page').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await emu?.close();
});

const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

/** The run shown in the detail card, read back through the API the page uses. */
async function latestRun(): Promise<{ id: string; status: string; counts: Record<string, number> }> {
  const res = await server.admin('/api/v1/sync-runs?limit=1');
  const { items } = (await res.json()) as { items: Array<{ id: string; status: string; counts: Record<string, number> }> };
  const run = items[0];
  if (!run) throw new Error('no sync run');
  return run;
}

describe('admin page against the emulator', () => {
  it('refuses a wrong token on the sign-in form, then signs in with the right one', async () => {
    await page.goto(`${server.url}/admin/`);
    await page.getByLabel('Admin token').fill('not-the-token-at-all-123456');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('This admin token is not valid.');
    await page.getByLabel('Admin token').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation').waitFor();
    const cookies = await browser.context.cookies();
    expect(cookies.find((c) => c.name === 'ucb_admin_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('validates the connection form before sending, then connects with the per-permission report', async () => {
    await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('disconnected');
    await page.getByLabel('Directory (tenant) ID').fill('not-a-tenant');
    await page.getByRole('button', { name: 'Save and check permissions' }).click();
    await expect.poll(() => page.locator('#tenantId-error').textContent()).toBe('Enter an ID like 00000000-0000-0000-0000-000000000000.');
    expect(await page.locator('#tenantId').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Directory (tenant) ID').fill(emu.tenantId);
    await page.getByLabel('Application (client) ID').fill(emu.clientId);
    await page.getByLabel('Client secret').fill(emu.clientSecret);
    await page.getByText('National cloud endpoints').click();
    await page.getByLabel('Sign-in authority').fill(emu.authority);
    await page.getByLabel('Microsoft Graph endpoint').fill(emu.graph);
    await page.getByRole('button', { name: 'Save and check permissions' }).click();
    await page.locator('[data-status="connected"]').waitFor();
    expect(await page.locator('tr[data-permission="User.Read.All"] td').first().textContent()).toBe('Granted');
    const consent = await page.locator('#redirect-uri-0').inputValue();
    expect(consent).toBe(`${server.url}/api/v1/integration/consent/callback`);
  });

  it('translates the server’s error code when a new secret does not work, keeping the old one', async () => {
    await page.getByLabel('New client secret').fill('wrong-secret-value');
    await page.getByRole('button', { name: 'Update client secret' }).click();
    const notice = page.locator('#secret-form .notice--error');
    await notice.waitFor();
    expect(await notice.textContent()).toBe('The client secret is not valid. Copy the secret’s Value, not its ID.');
    expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('connected');
  });

  it('asks for the secret again when the connection would point elsewhere, and keeps it otherwise', async () => {
    const save = () => page.getByRole('button', { name: 'Save and check permissions' }).click();
    const graphField = page.getByLabel('Microsoft Graph endpoint');
    if (!(await graphField.isVisible())) await page.getByText('National cloud endpoints').click();
    await graphField.fill(emu.graph.replace('127.0.0.1', 'localhost'));
    expect(await page.locator('#clientSecret-hint').textContent()).toBe('The secret’s Value from Certificates & secrets in the app registration.');
    await save();
    await expect.poll(() => page.locator('#clientSecret-error').textContent()).toBe('Required.');
    await graphField.fill(emu.graph);
    expect(await page.locator('#clientSecret-hint').textContent()).toBe('Leave empty to keep the stored secret.');
    await save();
    await page.getByText('Connected. The permission report shows what each permission enables.').waitFor();
  });

  it('configures user sync; the first save starts the initial sync', async () => {
    await nav('User sync');
    await page.getByLabel('Sync users from Entra ID').check();
    await page.getByLabel('First number').fill('20');
    await page.getByLabel('Last number').fill('19');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#numbering-end-error').textContent()).toBe('The last number must not be below the first.');
    await page.getByLabel('First number').fill('2000');
    await page.getByLabel('Last number').fill('2999');
    // The server refuses welcome emails without SMTP: its message shows under that box.
    await page.getByLabel('Send a welcome email when an extension is created').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#welcome-email-error').textContent()).toBe('set SMTP_URL on the server first');
    expect(await page.locator('#user-sync-title ~ form .notice--error').textContent()).toBe(
      'Welcome emails need an SMTP server (SMTP_URL on the server).',
    );
    await page.getByLabel('Send a welcome email when an extension is created').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = (await (await server.admin('/api/v1/settings/user-sync')).json()) as { enabled: boolean; numbering: unknown };
    expect(saved).toMatchObject({ enabled: true, numbering: { kind: 'auto', start: '2000', end: '2999' } });
    await expect.poll(async () => (await latestRun()).status, { timeout: 20_000 }).toBe('succeeded');
  });

  it('configures group sync with the searchable group picker', async () => {
    await nav('Group sync');
    await page.getByLabel('Sync groups from Entra ID').check();
    await page.getByLabel('Selected groups', { exact: true }).check();
    await page.getByLabel('Groups to sync').fill('Dept');
    const options = page.locator('#group-scope-groups-results input[type="checkbox"]');
    await expect.poll(() => options.count()).toBeGreaterThan(1);
    await options.nth(0).check();
    await options.nth(1).check();
    expect(await page.locator('.chips li').count()).toBe(2);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = (await (await server.admin('/api/v1/settings/group-sync')).json()) as { scope: { kind: string; groupIds: string[] } };
    expect(saved.scope.kind).toBe('groups');
    expect(saved.scope.groupIds).toHaveLength(2);
  });

  it('shows a paused sync read-only until it is switched on; the resuming save may carry changes', async () => {
    const stored = async () => (await (await server.admin('/api/v1/settings/group-sync')).json()) as { enabled: boolean; maxGroups: number; scope: { kind: string; groupIds: string[] } };
    const before = await stored();
    const controls = ['#group-scope-all', '#group-scope-groups', '#group-scope-groups-search', '#group-out-of-scope-release', '#max-groups'];
    const disabled = () => Promise.all(controls.map((id) => page.locator(id).isDisabled()));
    await nav('Group sync');
    const enabled = page.getByLabel('Sync groups from Entra ID');
    const note = page.getByText(/^This sync is off: its settings are kept and read-only\./);
    await enabled.uncheck();
    // Switched off in the draft only: still editable until the pause is saved.
    expect(await disabled()).toEqual(controls.map(() => false));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Pause sync' }).click();
    await note.waitFor();
    expect(await disabled()).toEqual(controls.map(() => true));
    expect(await enabled.isDisabled()).toBe(false);
    expect(await stored()).toEqual({ ...before, enabled: false });

    await enabled.check();
    await note.waitFor({ state: 'detached' });
    expect(await disabled()).toEqual(controls.map(() => false));
    await page.getByLabel('Group limit').fill('50');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(stored).toEqual({ ...before, enabled: true, maxGroups: 50 });
    expect(await note.count()).toBe(0);
    await expect.poll(async () => (await latestRun()).status, { timeout: 20_000 }).toBe('succeeded');
  });

  it('shows paused user sync read-only too, keeping its rules', async () => {
    const stored = async () => (await (await server.admin('/api/v1/settings/user-sync')).json()) as { enabled: boolean };
    const before = await stored();
    const controls = ['#user-scope-all', '#numbering-start', '#numbering-end', '#delete-disabled', '#max-extensions', '#guard-enabled'];
    const disabled = () => Promise.all(controls.map((id) => page.locator(id).isDisabled()));
    await nav('User sync');
    const enabled = page.getByLabel('Sync users from Entra ID');
    const note = page.getByText(/^This sync is off: its settings are kept and read-only\./);
    await enabled.uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Pause sync' }).click();
    await note.waitFor();
    expect(await disabled()).toEqual(controls.map(() => true));
    expect(await stored()).toEqual({ ...before, enabled: false });
    await enabled.check();
    expect(await disabled()).toEqual(controls.map(() => false));
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(stored).toEqual(before);
    await expect.poll(async () => (await latestRun()).status, { timeout: 20_000 }).toBe('succeeded');
  });

  it('runs "Sync now" and shows the progress bar until the run finishes', { timeout: 60_000 }, async () => {
    // Slow Graph down so the run is visibly in progress for a while.
    emu.services.faults.set({ latencyMs: 300 });
    try {
      await nav('Sync log');
      await page.getByLabel('Re-read the whole directory (full sync)').check();
      await page.getByRole('button', { name: 'Sync now' }).click();
      await page.locator('#run-detail-title ~ p [data-status="running"]').waitFor();
      const progress = page.locator('#run-progress');
      expect(await progress.getAttribute('data-finished')).toBe('false');
      await page.locator('#run-detail-title ~ p [data-status="succeeded"]').waitFor({ timeout: 45_000 });
      expect(await progress.getAttribute('data-finished')).toBe('true');
      expect(await progress.getAttribute('value')).toBe(await progress.getAttribute('max'));
      expect(await page.locator('#run-detail [data-count="created"]').textContent()).toMatch(/^Created: \d+$/);
      expect((await latestRun()).status).toBe('succeeded');
    } finally {
      emu.services.faults.clear();
    }
  });

  it('queues a second "Sync now" behind the running run, and lets the admin drop it', { timeout: 60_000 }, async () => {
    emu.services.faults.set({ latencyMs: 300 });
    try {
      await nav('Sync log');
      const syncNow = page.getByRole('button', { name: 'Sync now' });
      await syncNow.click();
      await page.locator('#run-detail-title ~ p [data-status="running"]').waitFor();
      const running = await latestRun();
      await syncNow.click();
      await page.locator('#run-detail-title ~ p [data-status="queued"]').waitFor();
      expect(await page.locator('#run-detail [data-queued]').textContent()).toBe('Queued: it starts as soon as the running sync ends.');
      expect(await syncNow.isDisabled()).toBe(true);
      const queued = await latestRun();
      expect(queued).toMatchObject({ status: 'queued' });
      expect(queued.id).not.toBe(running.id);
      await page.getByRole('button', { name: 'Drop this run' }).click();
      await page.locator('#run-detail-title ~ p [data-status="failed"]').waitFor();
      expect(await page.locator('#run-detail').textContent()).toContain('Cancelled by an admin.');
      emu.services.faults.clear();
      const first = async () => ((await (await server.admin(`/api/v1/sync-runs/${running.id}`)).json()) as { status: string }).status;
      await expect.poll(first, { timeout: 30_000 }).toBe('succeeded');
      expect((await latestRun()).id).toBe(queued.id);
    } finally {
      emu.services.faults.clear();
    }
  });

  it('lists synced extensions with their locked fields, and synced groups', async () => {
    await nav('Extensions');
    const rows = page.locator('tr[data-extension]');
    await expect.poll(() => rows.count()).toBeGreaterThan(20);
    const first = rows.first();
    expect(await first.locator('td').first().textContent()).toMatch(/^2\d{3}$/);
    expect(await first.locator('[data-source]').getAttribute('data-source')).toBe('entra');
    expect(await first.locator('[data-locked]').getAttribute('data-locked')).toContain('firstName');
    await page.getByLabel('Search by number, name or email').fill('2001');
    await expect.poll(() => rows.count()).toBe(1);

    await nav('Extension groups');
    const groups = page.locator('tr[data-group]');
    await expect.poll(() => groups.count()).toBe(2);
    expect(await groups.first().locator('[data-source]').textContent()).toBe('Synced');
  });

  it('adds, edits and deletes a local extension, and edits a synced one but for its locked fields', { timeout: 60_000 }, async () => {
    const extension = async (number: string) => {
      const res = await server.admin(`/api/v1/extensions?q=${number}`);
      const { items } = (await res.json()) as { items: Array<{ id: string; number: string; firstName: string; department: string; callerId: string; source: string }> };
      return items.find((e) => e.number === number);
    };
    await nav('Extensions');
    await page.getByLabel('Search by number, name or email').fill('');
    const rows = page.locator('tr[data-extension]');
    await expect.poll(() => rows.count()).toBeGreaterThan(20);

    // Checked before sending: the number, then the caller id.
    await page.getByRole('button', { name: 'Add extension' }).click();
    const editor = page.locator('#extension-editor');
    await editor.getByLabel('Number').fill('70a1');
    await editor.getByLabel('Name', { exact: true }).fill('Lobby phone');
    await editor.getByLabel('Caller ID').fill('n/a');
    await editor.getByRole('button', { name: 'Save' }).click();
    expect(await editor.locator('#extension-number-error').textContent()).toBe('Digits only (up to 15).');
    expect(await editor.locator('#extension-callerId-error').textContent()).toBe('Enter a phone number: digits with an optional leading +.');
    await editor.getByLabel('Number').fill('7001');
    await editor.getByLabel('Caller ID').fill('+1 (425) 555-0100');
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.locator('tr[data-extension="7001"]').waitFor();
    expect(await extension('7001')).toMatchObject({ source: 'local', callerId: '+14255550100' });

    // The server's refusal lands on the field it concerns.
    await page.getByRole('button', { name: 'Add extension' }).click();
    await editor.getByLabel('Number').fill('7001');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.locator('#extension-number-error').waitFor();
    expect(await editor.getByRole('alert').last().textContent()).toContain('This extension number is already in use.');
    await editor.getByRole('button', { name: 'Cancel' }).click();

    // A synced extension: locked fields are shown but cannot be edited; the others can.
    const synced = rows.filter({ has: page.locator('[data-source="entra"]') }).first();
    const number = (await synced.getAttribute('data-extension')) ?? '';
    const before = await extension(number);
    expect(await synced.getByRole('button', { name: `Delete extension ${number}` }).count()).toBe(0);
    await synced.getByRole('button', { name: `Edit extension ${number}` }).click();
    expect(await editor.getByLabel('First name').isDisabled()).toBe(true);
    expect(await editor.locator('#extension-firstName-hint').textContent()).toBe('Synced from Entra ID: change it there.');
    await editor.getByLabel('Department').fill('Front desk');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await extension(number))?.department).toBe('Front desk');
    expect((await extension(number))?.firstName).toBe(before?.firstName);
    // Changed here: the editor says the sync keeps it.
    await synced.getByRole('button', { name: `Edit extension ${number}` }).click();
    expect(await editor.locator('#extension-department-hint').textContent()).toBe('Changed here: kept until the value changes in Entra ID.');
    await editor.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Delete extension 7001' }).click();
    await page.locator('#extension-delete').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('tr[data-extension="7001"]').count()).toBe(0);
    expect(await page.getByRole('status').filter({ hasText: 'Extension 7001 was deleted.' }).count()).toBe(1);
    expect(await extension('7001')).toBeUndefined();
  });

  it('trips the deletion guard and lets the admin confirm the held run', { timeout: 60_000 }, async () => {
    const users = emu.ops.listUsers({ shared: false }).slice(0, 15);
    for (const user of users) emu.ops.deleteUser(user.id);
    await nav('Sync log');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.locator('#run-detail-title ~ p [data-status="held"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('#run-detail [data-guard]').textContent()).toMatch(/would delete 15 extensions/);
    await page.getByRole('button', { name: 'Review and confirm…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete 15 extensions' }).click();
    await page.locator('#run-detail-title ~ p [data-status="succeeded"]').waitFor({ timeout: 20_000 });
    expect((await latestRun()).counts.deleted).toBe(15);
  });

  it("changes a user's presence mapping", async () => {
    await nav('Presence');
    const row = page.locator('tr[data-extension]').first();
    await row.waitFor();
    const number = await row.getAttribute('data-extension');
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Busy', { exact: true }).selectOption('lunch');
    await page.getByLabel('In a meeting').selectOption('away');
    await page.getByRole('button', { name: 'Save for this user' }).click();
    await page.locator('#mapping-editor .notice--success').waitFor();
    const ext = (await (await server.admin(`/api/v1/extensions?q=${number ?? ''}`)).json()) as { items: Array<{ id: string; number: string }> };
    const id = ext.items.find((e) => e.number === number)?.id ?? '';
    const mapping = (await (await server.admin(`/api/v1/extensions/${id}/presence-mapping`)).json()) as {
      availability: Record<string, string>;
      activity: Record<string, string>;
    };
    expect(mapping.availability.Busy).toBe('lunch');
    expect(mapping.activity.InAMeeting).toBe('away');
  });

  it('takes the allowed web client origins typed one per line', async () => {
    await nav('Single sign-on');
    const origins = page.getByLabel('Allowed web client origins');
    await origins.pressSequentially('https://phone.example.com');
    await origins.press('Enter');
    await origins.pressSequentially('https://softphone.example.com:8443');
    expect(await origins.inputValue()).toBe('https://phone.example.com\nhttps://softphone.example.com:8443');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const saved = (await (await server.admin('/api/v1/settings/sso')).json()) as { allowedOrigins: string[] };
    expect(saved.allowedOrigins).toEqual(['https://phone.example.com', 'https://softphone.example.com:8443']);
  });

  it('works at 390 px: navigation becomes a scrolling row, tables scroll sideways', async () => {
    await page.setViewportSize(VIEWPORTS.phone);
    await nav('Extensions');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.setViewportSize(VIEWPORTS.desktop);
  });

  it('signs out and back in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    const res = await page.evaluate(async () => (await fetch('/api/v1/integration')).status);
    expect(res).toBe(401);
  });
});
