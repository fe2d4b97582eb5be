import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { vi } from 'vitest';
import type { Emulator } from '../emulator/index.js';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { TEST_ADMIN_TOKEN, type TestServer } from '../support/server.js';

const CONFIG = fileURLToPath(new URL('../../server/admin-ui/vite.config.ts', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/admin-ui/', import.meta.url));

/** Builds the admin page into dist/admin-ui (the folder the server serves at /admin). */
export async function buildAdminUi(): Promise<void> {
  await build({ configFile: CONFIG, logLevel: 'warn' });
  mkdirSync(ARTIFACTS, { recursive: true });
}

export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** Chromium whose browser languages (navigator.languages) are `acceptLanguage`. */
export function browserIn(acceptLanguage: string): Promise<ChromiumSession> {
  return launchChromium({ extraArgs: [`--accept-lang=${acceptLanguage}`] });
}

/** Opens the page and signs in with the admin token (the form's fields found by id: any language). */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/`);
  await page.locator('#token').fill(TEST_ADMIN_TOKEN);
  await page.locator('form[aria-labelledby="sign-in-title"] button[type="submit"]').click();
  await page.locator('.shell').waitFor();
}

/** Resolves once the latest sync runs (directory and contacts) have all succeeded. */
export async function runsSucceeded(server: TestServer): Promise<void> {
  await vi.waitFor(
    async () => {
      const { items } = (await (await server.admin('/api/v1/sync-runs?limit=5')).json()) as { items: Array<{ status: string }> };
      if (items.length === 0 || items.some((r) => r.status !== 'succeeded')) throw new Error('sync still running');
    },
    { timeout: 30_000, interval: 200 },
  );
}

/** Connects the server to the emulator through the API, turns user and group sync on, waits for the runs. */
export async function connectAndSync(server: TestServer, emu: Emulator): Promise<void> {
  const connect = await server.admin('/api/v1/integration', {
    method: 'PUT',
    body: { tenantId: emu.tenantId, clientId: emu.clientId, clientSecret: emu.clientSecret, authorityHost: emu.authority, graphEndpoint: emu.graph },
  });
  if (connect.status !== 200) throw new Error(`connect failed: ${await connect.text()}`);
  await server.admin('/api/v1/settings/group-sync', { method: 'PUT', body: { enabled: true } });
  await server.admin('/api/v1/settings/user-sync', { method: 'PUT', body: { enabled: true } });
  await runsSucceeded(server);
}
