import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the extension (the same command as `npm run build` uses) into a fresh temporary directory. */
export function buildExtension(): string {
  const out = mkdtempSync(join(tmpdir(), 'ucbridge-extension-'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'extension/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, UCBRIDGE_EXTENSION_OUT: out },
    stdio: 'pipe',
  });
  return out;
}

export const REPO_ROOT = ROOT;
