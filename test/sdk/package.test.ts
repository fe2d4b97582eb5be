import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const outDir = mkdtempSync(join(tmpdir(), 'ucbridge-sdk-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the built SDK', () => {
  it('is an installable package: its entry points exist and msal-browser is left to the application', async () => {
    await build({ configFile: fileURLToPath(new URL('../../sdk/vite.config.ts', import.meta.url)), build: { outDir, sourcemap: false } });
    const manifest = JSON.parse(readFileSync(join(outDir, 'package.json'), 'utf8')) as {
      name: string;
      exports: Record<string, { import: string; types: string }>;
      peerDependencies: Record<string, string>;
    };
    expect(manifest.name).toBe('ucbridge-sdk');
    expect(Object.keys(manifest.exports)).toEqual(['.', './redirect-bridge']);
    for (const entry of Object.values(manifest.exports)) expect(existsSync(join(outDir, entry.import)), entry.import).toBe(true);
    const root = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.peerDependencies['@azure/msal-browser']).toBe(root.devDependencies['@azure/msal-browser']);
    expect(readFileSync(join(outDir, 'index.js'), 'utf8')).toMatch(/from\s*["']@azure\/msal-browser["']/);
  });
});
