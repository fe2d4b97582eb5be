import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface ChromiumOptions {
  /** base64 SHA-256 SPKI hashes to trust (e.g. the emulator's `spkiList`), comma-separated. */
  spkiList?: string;
  extraArgs?: string[];
}

export interface ChromiumSession {
  context: BrowserContext;
  /** Uncaught errors of any page's scripts since the last call (a render that throws leaves a page half drawn). */
  takeErrors(): string[];
  close(): Promise<void>;
}

/**
 * Launches Debian's Chromium headless with a fresh profile. Certificates whose key hash is in
 * `spkiList` are trusted, which is how pages reach the emulator's HTTPS endpoints.
 */
export async function launchChromium(opts: ChromiumOptions = {}): Promise<ChromiumSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ucbridge-chromium-'));
  const args = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ...(opts.spkiList ? [`--ignore-certificate-errors-spki-list=${opts.spkiList}`] : []),
    ...(opts.extraArgs ?? []),
  ];
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args });
  const errors: string[] = [];
  context.on('weberror', (error) => errors.push(error.error().message));
  return {
    context,
    takeErrors: () => errors.splice(0),
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

