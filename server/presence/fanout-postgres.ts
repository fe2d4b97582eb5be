import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Store } from '../store/index.js';
import { statusBusFor, type StatusEvent } from './bus.js';
import { extensionStatusRepo } from './status.js';

/** A notification names the change only; the receiver reads the row (NOTIFY payloads are small and public to the database). */
const notice = z.object({ o: z.string(), t: z.string(), e: z.string() });
const RECONNECT_MS = 1_000;
/** The longest wait between two attempts: a restart or failover can keep the database away for minutes. */
const RECONNECT_MAX_MS = 30_000;

interface Log {
  warn(details: Record<string, unknown>, message: string): void;
}

/** One channel per schema, so deployments (and test runs) sharing a database do not hear each other. */
const channelOf = (schema: string | undefined) => `ucbridge_status_${schema ?? 'public'}`;

/**
 * Status fan-out between instances on PostgreSQL: every status change published on this
 * process's bus is announced with NOTIFY; every other instance LISTENs on a dedicated connection,
 * reads the extension's current status and publishes it on its own bus (marked `remote`, so it is
 * not announced again). An SSE client on any instance thus sees changes detected on any other.
 * Changes announced while the listening connection is down are not replayed: a client that
 * reconnects gets the current status, as after any gap.
 */
export function statusFanoutService(ctx: { store: Store; config: Pick<Config, 'databaseUrl' | 'databaseSchema'> }, app: { log: Log }) {
  const { store, config } = ctx;
  const origin = randomBytes(6).toString('base64url');
  const channel = channelOf(config.databaseSchema);
  const bus = statusBusFor(store);
  let client: pg.Client | undefined;
  let stopped = false;
  const stopping = new AbortController();
  let reconnecting: Promise<void> | undefined;
  let stopObserving: (() => void) | undefined;
  let delivering: Promise<void> = Promise.resolve();

  const announce = (event: StatusEvent) => {
    if (event.remote) return;
    const payload = JSON.stringify({ o: origin, t: event.tenantId, e: event.status.extensionId });
    sql`select pg_notify(${channel}, ${payload})`.execute(store.db).catch((err: unknown) => app.log.warn({ err }, 'status change not announced to other instances'));
  };

  const deliver = async (text: string | undefined) => {
    const parsed = notice.safeParse(JSON.parse(text ?? 'null'));
    if (!parsed.success || parsed.data.o === origin) return;
    const view = await extensionStatusRepo(store.db).get(parsed.data.t, parsed.data.e);
    bus.publish(parsed.data.t, view, { remote: true });
  };

  const listen = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: config.databaseUrl, options: `-c search_path=${config.databaseSchema ?? 'public'}` });
    next.on('notification', (message) => {
      // In order, one at a time: a later change is never overtaken by an earlier one.
      delivering = delivering.then(() => deliver(message.payload)).catch((err: unknown) => app.log.warn({ err }, 'relayed status change not delivered'));
    });
    next.on('error', (err) => app.log.warn({ err }, 'status fan-out connection failed'));
    next.on('end', () => {
      if (stopped || client !== next) return;
      client = undefined;
      reconnecting = reconnect();
    });
    await next.connect();
    try {
      await next.query(`listen ${next.escapeIdentifier(channel)}`);
    } catch (err) {
      // Connected but not listening is of no use; closed, so the next attempt does not leak it.
      await next.end();
      throw err;
    }
    client = next;
  };

  /** Tries again, waiting longer after each failure, until listening again or stopped: the database may stay down for a while. */
  const reconnect = async (): Promise<void> => {
    for (let wait = RECONNECT_MS; !stopped; wait = Math.min(2 * wait, RECONNECT_MAX_MS)) {
      await sleep(wait, undefined, { ref: false, signal: stopping.signal }).catch(() => undefined);
      if (stopped) return;
      try {
        await listen();
        return;
      } catch (err) {
        app.log.warn({ err }, 'status fan-out cannot reconnect yet');
      }
    }
  };

  return {
    name: 'presence-fanout',
    async start() {
      if (store.dialect !== 'postgres' || !config.databaseUrl) return;
      await listen();
      stopObserving = bus.observe(announce);
    },
    async stop() {
      stopped = true;
      stopping.abort();
      stopObserving?.();
      // An attempt under way may still connect: wait for it, so that its connection is ended too.
      await reconnecting;
      const last = client;
      client = undefined;
      await last?.end();
      await delivering;
    },
  };
}
