import { Agent, fetch as undiciFetch } from 'undici';
import type { Metrics } from '../metrics/index.js';
import { nowIso, type Store } from '../store/index.js';
import { onEventPublished } from './events.js';
import { deliveryRepo, type DueDelivery } from './delivery-repo.js';
import { secretContext, signatureHeaders } from './signing.js';
import { checkWebhookUrl, guardedLookup } from './url-policy.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Waits before the 2nd, 3rd… attempt: the Standard Webhooks example schedule (immediately, 5 s,
 * 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h — ten attempts over about three days).
 */
export const STANDARD_RETRY_SCHEDULE = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR];

export interface DeliveryOptions {
  retrySchedule: number[];
  /** Per request; the spec recommends 15–30 s. */
  timeoutMs: number;
  /** How often the store is checked for due deliveries written by other processes. */
  pollMs: number;
  /** Deliveries in flight from this process, to as many endpoints: each endpoint gets one at a time. */
  concurrency: number;
  /**
   * After a receiver was unreachable or unavailable (no answer, 429, 5xx), its other deliveries
   * wait this long before the next is tried, doubling with each such failure up to HOLD_MAX_MS,
   * and never longer than the failed delivery waits for its own retry.
   */
  holdMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { retrySchedule: STANDARD_RETRY_SCHEDULE, timeoutMs: 15_000, pollMs: 1000, concurrency: 8, holdMs: 5 * SECOND };

/** The longest an unavailable receiver's deliveries wait between two tries of it. */
const HOLD_MAX_MS = 5 * MINUTE;

const configured = new WeakMap<Store, Partial<DeliveryOptions>>();

/** Overrides delivery options for one store's dispatcher (tests shorten the retry schedule). */
export function configureWebhookDelivery(store: Store, options: Partial<DeliveryOptions>): void {
  configured.set(store, options);
}

export interface WebhookLog {
  warn(details: Record<string, unknown>, message: string): void;
}

type Outcome = { status: number; retryAfterMs?: number; error?: string } | { status: null; error: string };

/** Retries and Retry-After never push an attempt more than a day out. */
const retryDelay = (base: number, retryAfterMs: number | undefined) =>
  Math.min(Math.max(base * (0.9 + Math.random() * 0.2), retryAfterMs ?? 0), 24 * HOUR);

function parseRetryAfter(value: string | null): number | undefined {
  const seconds = value ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * SECOND : undefined;
}

/**
 * Sends due deliveries: signed POSTs, 2xx = delivered, 410 = the receiver is gone (endpoint
 * disabled), anything else (3xx included: redirects are not followed) = retry along the schedule,
 * then give up. Rows are claimed with a lease, so several processes can share one PostgreSQL.
 */
export function createDispatcher(store: Store, log: WebhookLog, metrics?: Metrics) {
  const repo = deliveryRepo(store.db);
  const attempts = metrics?.counter('ucbridge_webhook_attempts_total', 'Webhook delivery attempts by outcome');
  const agent = new Agent({ connect: { lookup: guardedLookup }, keepAliveTimeout: 10_000 });
  const options = () => ({ ...DEFAULT_DELIVERY, ...configured.get(store) });
  let timer: NodeJS.Timeout | undefined;
  /** Earliest retry scheduled by this process, so short retry schedules do not wait for the poll. */
  let soonest = Infinity;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  let unsubscribe: (() => void) | undefined;
  /** Ends the wait of a running pass for a delivery to finish, when new events are published. */
  let poke: (() => void) | undefined;
  /** Endpoints whose receiver just failed to answer, and until when their deliveries wait. */
  const held = new Map<string, { until: number; failures: number }>();

  /** No answer, or one that says the receiver cannot take anything now: its other deliveries would fail too. */
  const unavailable = (outcome: Outcome) => outcome.status === null || outcome.status === 429 || outcome.status >= 500;

  /** Holds the endpoint's other deliveries back; a receiver's Retry-After holds them at least that long. */
  function hold(endpointId: string, holdMs: number, retryMs: number | undefined, retryAfterMs: number | undefined): void {
    const failures = (held.get(endpointId)?.failures ?? 0) + 1;
    const backoff = Math.min(holdMs * 2 ** (failures - 1), HOLD_MAX_MS, retryMs ?? HOLD_MAX_MS);
    const until = Date.now() + Math.min(Math.max(backoff, retryAfterMs ?? 0), 24 * HOUR);
    held.set(endpointId, { until, failures });
    soonest = Math.min(soonest, until);
  }

  const heldNow = (now: number) => [...held].filter(([, h]) => h.until > now).map(([id]) => id);

  async function send(delivery: DueDelivery, timeoutMs: number): Promise<Outcome> {
    try {
      const secret = store.secrets.open(delivery.secret, secretContext(delivery.tenantId, delivery.endpointId));
      const headers = {
        ...signatureHeaders(secret, delivery.id, Math.floor(Date.now() / 1000), delivery.payload),
        'content-type': 'application/json',
        'user-agent': 'ucbridge-webhooks/1',
      };
      const response = await undiciFetch(checkWebhookUrl(delivery.url), {
        method: 'POST',
        body: delivery.payload,
        headers,
        redirect: 'manual',
        dispatcher: agent,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = response.ok ? '' : (await response.text()).slice(0, 200);
      if (response.ok) await response.body?.cancel();
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return { status: response.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), ...(text ? { error: `HTTP ${response.status}: ${text}` } : {}) };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { status: null, error: cause?.message ?? (error instanceof Error ? error.message : String(error)) };
    }
  }

  async function deliver(delivery: DueDelivery, opts: DeliveryOptions): Promise<void> {
    const outcome = await send(delivery, opts.timeoutMs);
    const attempt = delivery.attempt + 1;
    attempts?.inc({ outcome: outcome.status === null ? 'error' : `${Math.floor(outcome.status / 100)}xx` });
    if (outcome.status !== null && outcome.status >= 200 && outcome.status < 300) {
      held.delete(delivery.endpointId);
      return repo.succeeded(delivery.id, attempt, outcome.status);
    }
    const wait = opts.retrySchedule[attempt - 1];
    const retryAfter = outcome.status === null ? undefined : outcome.retryAfterMs;
    if (unavailable(outcome)) hold(delivery.endpointId, opts.holdMs, wait, retryAfter);
    const error = outcome.error ?? `HTTP ${outcome.status ?? 'error'}`;
    if (outcome.status === 410) {
      log.warn({ endpointId: delivery.endpointId, tenantId: delivery.tenantId }, 'webhook receiver answered 410 Gone: endpoint disabled');
      await repo.disableEndpoint(delivery.endpointId, 'The receiver answered 410 Gone; enable the endpoint again to resume.');
      return repo.failed(delivery.id, attempt, outcome.status, error);
    }
    if (wait === undefined) {
      log.warn({ endpointId: delivery.endpointId, deliveryId: delivery.id, attempts: attempt }, 'webhook delivery given up');
      return repo.failed(delivery.id, attempt, outcome.status, error);
    }
    const at = Date.now() + retryDelay(wait, retryAfter);
    soonest = Math.min(soonest, at);
    await repo.retry(delivery.id, attempt, outcome.status, error, at);
  }

  /**
   * Sends what is due, up to `concurrency` at once and one at a time per endpoint, oldest first: a
   * slow or unreachable receiver holds one slot, not all of them, and a receiver gets its events in
   * the order they happened (retries aside). A slot that frees up is filled at once.
   */
  async function pass(): Promise<void> {
    const opts = options();
    const sending = new Map<string, Promise<void>>();
    for (;;) {
      const free = opts.concurrency - sending.size;
      if (free > 0) {
        const now = Date.now();
        const skip = new Set([...sending.keys(), ...heldNow(now)]);
        for (const delivery of await repo.claimDue(now, free, opts.timeoutMs + 30 * SECOND, skip)) {
          const sent = deliver(delivery, opts)
            .catch((error: unknown) => log.warn({ err: error, deliveryId: delivery.id }, 'webhook delivery could not be recorded'))
            .finally(() => sending.delete(delivery.endpointId));
          sending.set(delivery.endpointId, sent);
        }
      }
      if (sending.size === 0) return;
      await Promise.race([...sending.values(), new Promise<void>((resolve) => (poke = resolve))]);
    }
  }

  /** The next look at the store: the poll interval, or sooner when a retry is due before it. */
  function arm(): void {
    clearTimeout(timer);
    if (stopped) return;
    const now = Date.now();
    const delay = Math.max(0, Math.min(options().pollMs, soonest - now));
    if (soonest <= now + delay) soonest = Infinity;
    timer = setTimeout(wake, delay);
    timer.unref();
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      poke?.();
      return;
    }
    running = pass()
      .catch((error: unknown) => log.warn({ err: error, at: nowIso() }, 'webhook dispatcher pass failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          wake();
        } else arm();
      });
  }

  return {
    start(): void {
      stopped = false;
      unsubscribe = onEventPublished(wake);
      wake();
    },
    async stop(): Promise<void> {
      stopped = true;
      unsubscribe?.();
      clearTimeout(timer);
      await running;
      await agent.close();
    },
  };
}

/** The dispatcher as a background service of the server (see `serviceFactories` in main.ts). */
export function webhookService(deps: { store: Store; metrics: Metrics }, app: { log: WebhookLog }) {
  const dispatcher = createDispatcher(deps.store, app.log, deps.metrics);
  return { name: 'webhooks', start: () => dispatcher.start(), stop: () => dispatcher.stop() };
}
