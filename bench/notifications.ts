/**
 * `npm run bench -- notifications [--changes 200] [--interval-ms 100] [--poll-seconds 60] [--users 300]`
 *
 * Latency from a user change in the emulator to (a) the extension row changing in the store and
 * (b) the signed `extension.updated` webhook reaching a receiver, p50/p95 over N changes, in both
 * modes: Graph change notifications (PUBLIC_URL via an HTTPS front) and delta polling.
 * Changes are spread `interval-ms` apart, each to a different user, with a unique job title.
 */
import { parseArgs } from 'node:util';
import { configureWebhookDelivery } from '../server/webhooks/index.js';
import { startChangeWorld, type ChangeWorld } from '../test/server/jobs/support.js';
import { startReceiver } from '../test/server/webhooks/receiver.js';
import type { BenchResult } from './run.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const percentile = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
};

function summary(values: number[], expected: number) {
  return { received: values.length, of: expected, p50Ms: percentile(values, 50), p95Ms: percentile(values, 95), maxMs: percentile(values, 100) };
}

async function measure(world: ChangeWorld, receiver: Receiver, changes: number, intervalMs: number, timeoutMs: number) {
  const targets = (await world.extensions()).filter((e) => e.entraObjectId).slice(0, changes);
  const started = new Map<string, number>();
  const inStore = new Map<string, number>();
  const run = Date.now().toString(36);
  const titleOf = (i: number) => `bench-${run}-${i}`;
  const watcher = setInterval(() => {
    void world.server.store.db
      .selectFrom('extension')
      .select(['job_title'])
      .where('job_title', 'like', `bench-${run}-%`)
      .execute()
      .then((rows) => {
        for (const { job_title } of rows) if (!inStore.has(job_title)) inStore.set(job_title, Date.now());
      });
  }, 20);
  for (const [i, ext] of targets.entries()) {
    started.set(titleOf(i), Date.now());
    world.emu.ops.updateUser(ext.entraObjectId ?? '', { jobTitle: titleOf(i) });
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const webhookAt = (title: string) => receiver.received.find((r) => r.body.includes(`"extension.updated"`) && r.body.includes(title))?.at;
  const end = Date.now() + timeoutMs;
  while (Date.now() < end && [...started.keys()].some((t) => webhookAt(t) === undefined || !inStore.has(t))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  clearInterval(watcher);
  const store: number[] = [];
  const webhook: number[] = [];
  for (const [title, at] of started) {
    const stored = inStore.get(title);
    const hooked = webhookAt(title);
    if (stored !== undefined) store.push(stored - at);
    if (hooked !== undefined) webhook.push(hooked - at);
  }
  return { store: summary(store, targets.length), webhook: summary(webhook, targets.length) };
}

async function mode(notifications: boolean, o: { changes: number; intervalMs: number; pollSeconds: number; users: number }) {
  const receiver = await startReceiver();
  const world = await startChangeWorld({
    notifications,
    emulator: { users: o.users, seed: 11 },
    schedule: { pollSeconds: o.pollSeconds },
    beforeSync: async (server) => {
      configureWebhookDelivery(server.store, { pollMs: 200 });
      await server.admin('/api/v1/webhook-endpoints', { body: { url: receiver.url, events: ['extension.updated'] } });
    },
  });
  try {
    const status = (await world.json<{ changeTracking: string }>('/api/v1/settings/schedule/status')).body;
    const timeoutMs = (notifications ? 30 : o.pollSeconds * 2 + 30) * 1000;
    const result = await measure(world, receiver, o.changes, o.intervalMs, timeoutMs);
    const runs = (await world.runs()).filter((r) => r.trigger === 'change').length;
    return { changeTracking: status.changeTracking, ...result, changeRuns: runs };
  } finally {
    await world.stop();
    await receiver.close();
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const { values } = parseArgs({
    args,
    options: {
      changes: { type: 'string', default: '200' },
      'interval-ms': { type: 'string', default: '100' },
      'poll-seconds': { type: 'string', default: '60' },
      users: { type: 'string', default: '300' },
    },
  });
  const o = { changes: Number(values.changes), intervalMs: Number(values['interval-ms']), pollSeconds: Number(values['poll-seconds']), users: Number(values.users) };
  const notifications = await mode(true, o);
  process.stdout.write(`notifications: ${JSON.stringify(notifications)}\n`);
  const polling = await mode(false, o);
  process.stdout.write(`polling (${o.pollSeconds} s): ${JSON.stringify(polling)}\n`);
  return { options: o, notifications, polling };
}
