import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.js';
import { graphForTenant, type GraphClient } from '../graph/index.js';
import type { Store } from '../store/index.js';
import { pollCalendarBatch } from './calendar-cycle.js';
import { PRESENCE_BATCH, SCHEDULE_BATCH } from './graph-calls.js';
import { createPresenceLeases } from './leases.js';
import { createNotifiedReads } from './notified.js';
import { getPresenceSyncSettings, tenantsWithPresenceSync, type PresenceSyncSettings } from './settings.js';
import { chunks, runSpread } from './spread.js';
import { endStreamsOfRemovedUsers } from './streams.js';
import { subscribedExtensions, syncPresenceSubscriptions, type SubscriptionSyncReport } from './subscriptions.js';
import { createTargetLoader, type LoadedTarget, type PresenceTarget } from './targets.js';
import { pollTeamsBatch, type BatchOutcome } from './teams-cycle.js';

/** Time as the presence service sees it; tests inject one that does not wait. */
export interface PresenceClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}
const systemClock: PresenceClock = { now: () => Date.now(), sleep: (ms) => sleep(ms, undefined, { ref: false }) };

export interface CycleReport {
  kind: 'teams' | 'calendar';
  users: number;
  /** Teams: followed users left out because a delegated subscription brings their changes. */
  subscribed: number;
  /** Graph calls made (one per batch; the Graph client's retries come on top). */
  batches: number;
  changes: number;
  errors: number;
  /** The cycle length the calls were spread over (0 when run back to back). */
  cycleMs: number;
  startedAt: string;
  durationMs: number;
  /** Set when the cycle could not run at all (integration not connected…). */
  error: string | null;
}

/**
 * Microsoft allows 1,500 getPresencesByUserId calls per 30 s per app and tenant; we plan for 80 %
 * of it (room for setPresence and other apps), so one call every 25 ms at most: 50,000 users are
 * 77 calls, spread over the 10 s cycle (231 per 30 s).
 */
const TEAMS_MIN_SPACING_MS = 30_000 / 1_200;
/** getSchedule goes to Exchange; ten calls a second keeps well inside its per-app limits. */
const CALENDAR_MIN_SPACING_MS = 100;
const CONCURRENCY = 4;
const TICK_MS = 1_000;
/** How often delegated presence subscriptions are checked (created, renewed). */
const SUBSCRIPTION_CHECK_MS = 30_000;

interface Kind {
  kind: CycleReport['kind'];
  batchSize: number;
  minSpacingMs: number;
  cycleMs: (s: PresenceSyncSettings) => number;
  runs: (s: PresenceSyncSettings) => boolean;
  poll: (store: Store, graph: GraphClient, tenantId: string, s: PresenceSyncSettings, batch: PresenceTarget[], now: Date) => Promise<BatchOutcome>;
}

const TEAMS: Kind = {
  kind: 'teams',
  batchSize: PRESENCE_BATCH,
  minSpacingMs: TEAMS_MIN_SPACING_MS,
  cycleMs: (s) => s.pollSeconds * 1000,
  runs: (s) => s.source !== 'calendar',
  poll: (store, graph, tenantId, s, batch) => pollTeamsBatch(store, graph, tenantId, s, batch),
};
const CALENDAR: Kind = {
  kind: 'calendar',
  batchSize: SCHEDULE_BATCH,
  minSpacingMs: CALENDAR_MIN_SPACING_MS,
  cycleMs: (s) => s.calendarPollSeconds * 1000,
  runs: (s) => s.source !== 'teams',
  poll: pollCalendarBatch,
};

export interface PresenceServiceDeps {
  store: Store;
  config: Pick<Config, 'graphCaFile' | 'publicUrl'>;
  clock?: PresenceClock;
  log?: { warn(obj: object, msg: string): void };
}

export interface PresenceService {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
  /** One Teams cycle now; `spread: false` (default) makes the calls back to back. Waits for a running cycle first. */
  pollTeams(tenantId: string, options?: { spread?: boolean }): Promise<CycleReport>;
  pollCalendar(tenantId: string, options?: { spread?: boolean }): Promise<CycleReport>;
  /** Checks the tenant's delegated presence subscriptions now (create, renew); see ./subscriptions.ts. */
  syncSubscriptions(tenantId: string): Promise<SubscriptionSyncReport>;
  /** The last finished cycle of each kind. */
  lastCycles(tenantId: string): { teams: CycleReport | null; calendar: CycleReport | null };
}

/**
 * Presence sync in the background: per tenant with the admin switch on, a Teams cycle every
 * `pollSeconds` and a calendar cycle every `calendarPollSeconds`, each spreading its Graph calls
 * over the cycle; plus closing the status streams of users removed from sync.
 */
export function createPresenceService(deps: PresenceServiceDeps): PresenceService {
  const clock = deps.clock ?? systemClock;
  const loadTargets = createTargetLoader();
  const running = new Map<string, Promise<CycleReport>>();
  const lastStart = new Map<string, number>();
  const last = new Map<string, CycleReport>();
  const subscriptionChecks = new Map<string, { at: number; running?: Promise<SubscriptionSyncReport> }>();
  /** Per tenant, the target load of the last Teams cycle (see `teamsTargets`). */
  const teamsLoads = new Map<string, number>();
  const leases = createPresenceLeases(deps.store);
  let stopped = false;
  let loop: Promise<void> | undefined;
  // Reads the users named by presence change notifications (./notified.ts).
  const notified = createNotifiedReads({ store: deps.store, config: deps.config, sleep: clock.sleep, stopped: () => stopped, log: deps.log });

  async function cycle(kind: Kind, tenantId: string, settings: PresenceSyncSettings, spread: boolean): Promise<CycleReport> {
    const started = clock.now();
    // Any cycle, background or asked for, counts: the next background one is a full cycle later.
    lastStart.set(`${tenantId}\n${kind.kind}`, started);
    const report: CycleReport = { kind: kind.kind, users: 0, subscribed: 0, batches: 0, changes: 0, errors: 0, cycleMs: 0, startedAt: new Date(started).toISOString(), durationMs: 0, error: null };
    try {
      const graph = await graphForTenant(deps, tenantId);
      const { load, targets: followed } = await loadTargets(deps.store.db, tenantId);
      const targets = kind.kind === 'teams' ? await teamsTargets(tenantId, followed, load) : followed;
      report.subscribed = followed.length - targets.length;
      const batches = chunks(targets, kind.batchSize);
      report.users = targets.length;
      report.cycleMs = spread ? Math.max(kind.cycleMs(settings), batches.length * kind.minSpacingMs) : 0;
      const spacingMs = batches.length > 0 ? report.cycleMs / batches.length : 0;
      // Spaced from the cycle's start: reading the follow list (~0.5 s at 50,000 users) is part of the cycle.
      await runSpread(batches, { spacingMs, concurrency: CONCURRENCY, now: clock.now, sleep: clock.sleep, stopped: () => spread && stopped, start: started }, async (batch) => {
        const outcome = await kind.poll(deps.store, graph, tenantId, settings, batch, new Date(clock.now()));
        report.batches++;
        report.changes += outcome.changes;
        report.errors += outcome.errors;
      });
    } catch (error) {
      report.error = error instanceof Error ? error.message : String(error);
      deps.log?.warn({ tenantId, kind: kind.kind, err: report.error }, 'presence cycle failed');
    }
    report.durationMs = clock.now() - started;
    last.set(`${tenantId}\n${kind.kind}`, report);
    return report;
  }

  /**
   * Who a Teams cycle reads: users whose delegated subscription brings their changes are left out,
   * unless their mapping was edited since the last Teams cycle (a notification comes only with a
   * Teams change). After a restart every one of them is read once.
   */
  async function teamsTargets(tenantId: string, followed: LoadedTarget[], load: number): Promise<LoadedTarget[]> {
    const subscribed = await subscribedExtensions(deps.store, tenantId, clock.now());
    const since = teamsLoads.get(tenantId) ?? 0;
    teamsLoads.set(tenantId, load);
    return subscribed.size > 0 ? followed.filter((t) => !subscribed.has(t.extensionId) || t.mappingLoad > since) : followed;
  }

  /** Cycles of one kind and tenant never overlap: a request waits for the running one. */
  function enqueue(kind: Kind, tenantId: string, settings: PresenceSyncSettings, spread: boolean, delayMs = 0): Promise<CycleReport> {
    const key = `${tenantId}\n${kind.kind}`;
    const previous = running.get(key) ?? Promise.resolve(undefined);
    const next = previous.then(() => (delayMs > 0 ? clock.sleep(delayMs) : undefined)).then(() => cycle(kind, tenantId, settings, spread));
    running.set(key, next);
    void next.finally(() => running.get(key) === next && running.delete(key));
    return next;
  }

  /** One check at a time per tenant; a request during a running check gets that check. */
  function syncSubscriptions(tenantId: string): Promise<SubscriptionSyncReport> {
    const entry = subscriptionChecks.get(tenantId) ?? { at: 0 };
    subscriptionChecks.set(tenantId, entry);
    entry.running ??= syncPresenceSubscriptions(deps, tenantId, clock.now()).finally(() => {
      entry.at = clock.now();
      delete entry.running;
    });
    return entry.running;
  }

  async function tick(): Promise<void> {
    for (const { tenantId, settings } of await tenantsWithPresenceSync(deps.store)) {
      // Several instances: only the holder of the tenant's lease polls it (see ./leases.ts).
      if (!(await leases.holds(tenantId, clock.now()))) continue;
      const check = subscriptionChecks.get(tenantId);
      if (deps.config.publicUrl && !check?.running && clock.now() >= (check?.at ?? -Infinity) + SUBSCRIPTION_CHECK_MS) {
        void syncSubscriptions(tenantId).catch((error: unknown) => deps.log?.warn({ tenantId, err: String(error) }, 'presence subscription check failed'));
      }
      for (const kind of [TEAMS, CALENDAR]) {
        const key = `${tenantId}\n${kind.kind}`;
        // Started exactly one cycle after the last one, not at the first tick after that: with
        // ticks (and this tick's own queries) in between, the gap between two polls of a user
        // grew to 12 s and more on a 10 s cycle.
        const wait = (lastStart.get(key) ?? -Infinity) + kind.cycleMs(settings) - clock.now();
        if (!kind.runs(settings) || running.has(key) || wait > 2 * TICK_MS) continue;
        void enqueue(kind, tenantId, settings, true, Math.max(0, wait));
      }
    }
    await endStreamsOfRemovedUsers(deps.store);
  }

  async function run(): Promise<void> {
    while (!stopped) {
      await tick().catch((error: unknown) => deps.log?.warn({ err: String(error) }, 'presence tick failed'));
      await clock.sleep(TICK_MS);
    }
  }

  const pollNow = (kind: Kind) => async (tenantId: string, options: { spread?: boolean } = {}) =>
    enqueue(kind, tenantId, await getPresenceSyncSettings(deps.store, tenantId), options.spread ?? false);

  return {
    name: 'presence',
    start() {
      stopped = false;
      loop = run();
    },
    async stop() {
      stopped = true;
      await loop;
      await Promise.allSettled([...running.values(), ...[...subscriptionChecks.values()].map((c) => c.running), notified.settle()]);
      await leases.releaseAll();
    },
    pollTeams: pollNow(TEAMS),
    pollCalendar: pollNow(CALENDAR),
    syncSubscriptions,
    lastCycles: (tenantId) => ({ teams: last.get(`${tenantId}\nteams`) ?? null, calendar: last.get(`${tenantId}\ncalendar`) ?? null }),
  };
}

const services = new WeakMap<Store, PresenceService>();

/** The presence service of a store's server (tests and the bench trigger cycles through it). */
export function presenceServiceFor(store: Store): PresenceService | undefined {
  return services.get(store);
}

/** Background service factory for `serviceFactories` in server/main.ts. */
export function presenceService(ctx: { store: Store; config: Pick<Config, 'graphCaFile' | 'publicUrl'> }, app: { log: { warn(obj: object, msg: string): void } }): PresenceService {
  const service = createPresenceService({ store: ctx.store, config: ctx.config, log: app.log });
  services.set(ctx.store, service);
  return service;
}
