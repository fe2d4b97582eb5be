import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExtension, REPO_ROOT } from './build.js';

interface LintMessage {
  code: string;
  message: string;
  file?: string;
}
interface LintReport {
  summary: { errors: number; warnings: number };
  errors: LintMessage[];
  warnings: LintMessage[];
}

let out = '';
const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** addons-linter (what web-ext lint runs) exits non-zero on errors; JSON goes to stdout either way. */
function lint(bin: string, args: string[]): LintReport {
  let stdout: string;
  try {
    stdout = execFileSync(join(REPO_ROOT, 'node_modules/.bin', bin), args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    stdout = (error as { stdout: string }).stdout;
  }
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as LintReport;
}

beforeAll(() => {
  out = buildExtension();
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the Firefox build', () => {
  it('has background scripts and Gecko settings; the Chrome build a service worker and none', () => {
    const firefox = JSON.parse(readFileSync(join(out, 'firefox/manifest.json'), 'utf8')) as Record<string, unknown>;
    const chrome = JSON.parse(readFileSync(join(out, 'chrome/manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(firefox.background).toEqual({ scripts: ['background.js'] });
    expect(firefox.browser_specific_settings).toMatchObject({ gecko: { id: 'extension@ucbridge.org' } });
    expect(chrome.background).toEqual({ service_worker: 'background.js' });
    expect(chrome).not.toHaveProperty('browser_specific_settings');
    for (const manifest of [firefox, chrome]) {
      expect(manifest).toMatchObject({ manifest_version: 3, version, default_locale: 'en', name: '__MSG_extensionName__' });
      expect(manifest.permissions).toEqual(['identity', 'storage', 'alarms', 'notifications']);
      expect(manifest).not.toHaveProperty('host_permissions');
    }
  });

  it('passes web-ext lint with no errors', () => {
    const report = lint('web-ext', ['lint', '--source-dir', join(out, 'firefox'), '--output', 'json', '--no-config-discovery']);
    expect(report.errors).toEqual([]);
    // What is left are warnings about code inside dependencies (zod's eval probe, preact's innerHTML).
    for (const warning of report.warnings) expect(warning.file === 'manifest.json', `${warning.code}: ${warning.message}`).toBe(false);
  }, 120_000);

  it('is zipped for the store: the archive lints as the same extension', () => {
    const zip = join(out, `ucbridge-firefox-${version}.zip`);
    expect(existsSync(zip)).toBe(true);
    expect(existsSync(join(out, `ucbridge-chrome-${version}.zip`))).toBe(true);
    const report = lint('addons-linter', ['--output', 'json', zip]);
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
  }, 120_000);
});
