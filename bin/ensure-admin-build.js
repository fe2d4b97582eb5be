#!/usr/bin/env node
// Before `npm start` / `npm run demo`: builds the admin page once when dist/admin-ui is missing,
// so a fresh clone needs no separate build step. `npm run build` rebuilds everything.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/admin-ui/index.html', import.meta.url))) {
  process.stdout.write('Building the admin page (first start only)…\n');
  const result = spawnSync('npm', ['run', '--silent', 'build:admin'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
