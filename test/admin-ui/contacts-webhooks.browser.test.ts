import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../server/admin-ui/i18n/messages/en.js';
import { configureContactFollow } from '../../server/contacts/index.js';
import { configureWebhookDelivery } from '../../server/webhooks/index.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { startReceiver, verifyStandardWebhook } from '../server/webhooks/receiver.js';
import type { ChromiumSession } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ARTIFACTS, browserIn, buildAdminUi, connectAndSync, runsSucceeded, signIn, VIEWPORTS } from './support.js';

let emu: Emulator;
let server: TestServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let browser: ChromiumSession;
let page: Page;
let mailbox: { id: string; displayName: string };

beforeAll(async () => {
  await buildAdminUi();
  emu = await startEmulator({ users: 20, seed: 5, sharedMailboxes: 3, guestRatio: 0, disabledRatio: 0 });
  const shared = emu.ops.listUsers({ shared: true })[0];
  if (!shared) throw new Error('the emulator seeded no shared mailbox');
  mailbox = { id: shared.id, displayName: shared.displayName ?? '' };
  emu.ops.createContact(mailbox.id, { givenName: 'Sharon', surname: 'Shared', companyName: 'Zyxw Traders', businessPhones: ['+1 425 555 0303'] });
  server = await startTestServer({ graphCaFile: emu.caFile });
  configureContactFollow(server.store, { pollMs: 0 });
  configureWebhookDelivery(server.store, { retrySchedule: [50, 50, 50], pollMs: 50 });
  await connectAndSync(server, emu);
  receiver = await startReceiver();
  browser = await browserIn('en-US');
  page = await browser.context.newPage();
  await page.setViewportSize(VIEWPORTS.desktop);
  await signIn(page, server.url);
});

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    await page.screenshot({ path: join(ARTIFACTS, `failed-${context.task.name.replace(/\W+/g, '-')}.png`), fullPage: true });
  }
  expect(browser.takeErrors(), 'uncaught errors of the page').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await server?.stop();
  await emu?.close();
});

const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

describe('contacts section', () => {
  it('syncs one shared mailbox into a phonebook, browses its contacts and grants an extension group visibility', async () => {
    await nav('Contacts');
    await page.getByLabel(en['contacts.sharedEnabled']).check();
    await page.getByLabel(en['contacts.mailboxesSelected']).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('#contacts-mailboxes-pick-search-error').textContent()).toBe(en['contacts.pickMailbox']);

    await page.getByPlaceholder(en['mailboxPicker.searchPlaceholder']).fill(mailbox.displayName);
    await page.locator(`#contacts-mailboxes-pick-${mailbox.id}`).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: en['common.saved'] }).waitFor();
    const saved = (await (await server.admin('/api/v1/settings/contact-sync')).json()) as { shared: unknown };
    expect(saved.shared).toEqual({ enabled: true, mailboxes: { kind: 'selected', mailboxIds: [mailbox.id] }, phonebookName: '{mailbox}' });
    await runsSucceeded(server);

    const syncNow = page.getByRole('button', { name: en['contacts.syncNow'] });
    const runStatus = () => page.locator('[data-contact-run]').getAttribute('data-contact-run');
    await syncNow.click();
    await expect.poll(runStatus, { timeout: 20_000 }).toBe('succeeded');
    // During a run, 'Sync now' queues the next one (and is off while one waits).
    emu.ops.setFaults({ latencyMs: 800 });
    await syncNow.click();
    await expect.poll(runStatus).toBe('running');
    await syncNow.click();
    await expect.poll(runStatus).toBe('queued');
    expect(await syncNow.isDisabled()).toBe(true);
    emu.ops.clearFaults();
    await expect.poll(runStatus, { timeout: 20_000 }).toBe('succeeded');
    const book = page.locator(`tr[data-phonebook="${mailbox.displayName}"]`);
    expect(await book.locator('td').nth(1).textContent()).toBe(en['phonebooks.kind.company']);
    await book.getByRole('link').click();
    const contact = page.locator('tr[data-contact="Sharon Shared"]');
    await contact.waitFor();
    expect(await contact.locator('td').nth(1).textContent()).toBe('Zyxw Traders');

    const firstGroup = page.locator('#visibility-groups-results input[type="checkbox"]').first();
    await firstGroup.waitFor();
    const groupId = ((await firstGroup.getAttribute('id')) ?? '').replace('visibility-groups-', '');
    await firstGroup.check();
    await page.getByRole('button', { name: en['phonebooks.saveVisibility'] }).click();
    await page.locator('#phonebook-detail').getByRole('status').filter({ hasText: en['common.saved'] }).waitFor();
    const books = (await (await server.admin('/api/v1/phonebooks?kind=company')).json()) as { items: Array<{ id: string }> };
    const visibility = (await (await server.admin(`/api/v1/phonebooks/${books.items[0]?.id ?? ''}/visibility`)).json()) as { groupIds: string[]; extensionIds: string[] };
    expect(visibility).toMatchObject({ groupIds: [groupId], extensionIds: [] });
    await page.screenshot({ path: join(ARTIFACTS, 'contacts-flow-1280.png'), fullPage: true });
  });
});

describe('webhooks section', () => {
  it('creates an endpoint, shows its secret once, sends a test and logs the 2xx delivery', async () => {
    await nav('Webhooks');
    await page.getByRole('button', { name: en['webhooks.add'] }).click();
    await page.getByLabel(en['webhooks.url']).fill('ftp://pbx.example.com/hooks');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('#webhook-url-error').textContent()).toBe(en['webhooks.urlInvalid']);
    // Passes the page's check, refused by the server: its message shows next to the field.
    await page.getByLabel(en['webhooks.url']).fill('http://169.254.169.254/latest');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('#webhook-url-error').textContent()).toContain('link-local');

    await page.getByLabel(en['webhooks.url']).fill(receiver.url);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const secret = await page.locator('#webhook-secret-value').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByText(en['webhooks.secretOnce']).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'webhooks-secret-1280.png'), fullPage: true });
    await page.getByRole('button', { name: en['webhooks.secretDone'] }).click();
    expect(await page.locator('#webhook-secret-value').count()).toBe(0);
    const row = page.locator(`tr[data-endpoint="${receiver.url}"]`);
    expect(await row.locator('[data-endpoint-state]').textContent()).toBe(en['webhooks.stateEnabled']);

    await page.getByRole('button', { name: `Send a test event to ${receiver.url}` }).click();
    await receiver.until((all) => all.length >= 1);
    const ping = receiver.received[0];
    expect(ping && verifyStandardWebhook(secret, ping.headers, ping.body)).toBe(true);
    const delivery = page.locator('tr[data-delivery="webhook.ping"]').first();
    await expect.poll(() => delivery.locator('[data-delivery-status]').getAttribute('data-delivery-status')).toBe('succeeded');
    expect(await delivery.locator('td[data-response]').textContent()).toBe('200');
    expect(await delivery.locator('td').nth(3).textContent()).toBe('1');
    await page.screenshot({ path: join(ARTIFACTS, 'webhooks-deliveries-1280.png'), fullPage: true });
  });

  it('shows why ucbridge disabled an endpoint whose receiver answered 410 Gone', async () => {
    receiver.script.push(410);
    await page.getByRole('button', { name: `Send a test event to ${receiver.url}` }).click();
    const row = page.locator(`tr[data-endpoint="${receiver.url}"]`);
    await expect.poll(() => row.locator('[data-endpoint-state]').getAttribute('data-endpoint-state'), { timeout: 20_000 }).toBe('disabled');
    expect(await row.locator('[data-disabled-reason]').textContent()).toContain('410 Gone');
    expect(await page.getByRole('button', { name: `Send a test event to ${receiver.url}` }).isDisabled()).toBe(true);
  });

  it('rotates the secret (shown once again) and deletes the endpoint after confirming', async () => {
    const before = ((await (await server.admin('/api/v1/webhook-endpoints')).json()) as { items: Array<{ id: string }> }).items;
    await page.getByRole('button', { name: `New signing secret for ${receiver.url}` }).click();
    const rotated = await page.locator('#webhook-secret-value').inputValue();
    expect(rotated).toMatch(/^whsec_/);
    await page.getByRole('button', { name: en['webhooks.secretDone'] }).click();
    await page.getByRole('button', { name: `Delete ${receiver.url}` }).click();
    const dialog = page.getByRole('dialog', { name: en['webhooks.deleteTitle'] });
    await dialog.getByRole('button', { name: en['webhooks.delete'] }).click();
    await page.getByText(en['webhooks.none']).waitFor();
    const after = ((await (await server.admin('/api/v1/webhook-endpoints')).json()) as { items: unknown[] }).items;
    expect([before.length, after.length]).toEqual([1, 0]);
  });
});
