/**
 * `npm run bench -- sso [--requests 2000] [--concurrency 16] [--db sqlite|postgres]`
 *
 * `POST /api/v1/sso/token` against the emulator's tenant with a warm JWKS/discovery cache: each
 * request carries a distinct, valid ID token (signed before the clock starts) and opens a real
 * session (validation, user lookup, session and audit rows). Prints throughput and latency
 * percentiles; the server and the emulator run in this process (loopback, one core's worth).
 */
import { parseArgs } from 'node:util';
import { startSsoEnv } from '../test/server/sso/support.js';
import type { BenchResult } from './run.js';

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
const round = (n: number) => Math.round(n * 100) / 100;

export async function run(args: string[]): Promise<BenchResult> {
  const { values } = parseArgs({
    args,
    options: { requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' }, db: { type: 'string', default: 'sqlite' } },
  });
  process.env.UCBRIDGE_TEST_DB = values.db;
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const env = await startSsoEnv({ config: { logLevel: 'warn' } });
  try {
    await env.addExtension();
    const warm = await env.post('/api/v1/sso/token', { idToken: await env.idToken() });
    if (warm.status !== 201) throw new Error(`warm-up exchange failed: HTTP ${warm.status} ${await warm.text()}`);
    const tokens = await Promise.all(Array.from({ length: requests }, (_, i) => env.idToken({ uti: `bench-${i}` })));
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const worker = async () => {
      while (next < tokens.length) {
        const idToken = tokens[next++] ?? '';
        const started = performance.now();
        const response = await env.post('/api/v1/sso/token', { idToken });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        if (response.status !== 201) failures++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const result = {
      db: values.db,
      requests,
      concurrency,
      failures,
      seconds: round(seconds),
      perSecond: round(requests / seconds),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies[latencies.length - 1] ?? 0),
      jwksFetches: env.emu.services.log.list({ path: '/discovery/v2.0/keys' }).length,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await env.stop();
  }
}
