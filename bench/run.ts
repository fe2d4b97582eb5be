/**
 * `npm run bench -- <name> [...]`: runs bench/<name>.ts (all of them without a name). Each
 * benchmark prints its figures and returns them; this runner writes one JSON report to
 * bench/results/<name>-<timestamp>.json.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type BenchResult = Record<string, unknown>;
export interface Benchmark {
  run(args: string[]): Promise<BenchResult>;
}

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

const [name, ...args] = process.argv.slice(2);
const selected = name ? [name] : available;
for (const bench of selected) {
  if (!available.includes(bench)) {
    process.stderr.write(`unknown benchmark '${bench}'; available: ${available.join(', ')}\n`);
    process.exit(2);
  }
  const module = (await import(join(here, `${bench}.ts`))) as Benchmark;
  process.stdout.write(`== ${bench}\n`);
  const result = await module.run(args);
  const dir = join(here, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${bench}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ bench, at: new Date().toISOString(), node: process.version, result }, null, 2));
  process.stdout.write(`report: ${file}\n`);
}
