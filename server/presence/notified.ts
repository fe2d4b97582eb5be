import type { Config } from '../config.js';
import { graphForTenant } from '../graph/index.js';
import type { Store } from '../store/index.js';
import { PRESENCE_BATCH } from './graph-calls.js';
import { getPresenceSyncSettings } from './settings.js';
import { chunks } from './spread.js';
import { targetsOf } from './targets.js';
import { pollTeamsBatch } from './teams-cycle.js';

/**
 * What a presence change notification leads to. Our presence subscriptions are basic (no
 * `includeResourceData`: rich ones need an encryption certificate), and since June 2024 a basic
 * presence notification names the user only — `resourceData` is `{"@odata.type", "@odata.id", "id"}`,
 * no availability or activity:
 * https://devblogs.microsoft.com/microsoft365dev/breaking-changes-to-microsoft-graph-presence-and-online-meeting-basic-change-notifications/
 * ("Presence basic notification"; to keep the data, "subscribe to rich notifications"), and
 * https://learn.microsoft.com/en-us/graph/changenotifications-for-presence (resource data only with
 * `includeResourceData` and a certificate). So a notification means "read this user now": the
 * poller's own `pollTeamsBatch` (app-only getPresencesByUserId, ≤ 650 ids a call, then decideTeams
 * — calendar rules, protected statuses, reverse-direction guard — through decideAndApply).
 *
 * Coalescing: a tenant's first notification opens a DEBOUNCE_MS window; users notified during it
 * join the same read. Teams sends changes in bursts (Busy → InACall → InAMeeting, or many users
 * when a meeting starts): a burst costs one call per 650 users, and the read sees its latest state.
 *
 * A failed read (after the Graph client's retries) is recorded on the users' health by
 * pollTeamsBatch, and the users are read again after the tenant's poll interval, then every poll
 * interval until a read succeeds: exactly what polling would do for them without a subscription.
 * Retries wait in a window of their own: a notification meanwhile is still read within
 * DEBOUNCE_MS, and a user it reads successfully leaves the retry.
 * Retried here, on the instance that received the notification, rather than handed to the poller:
 * the poller runs only on the tenant's lease holder (./leases.ts), which may be another instance.
 */
const DEBOUNCE_MS = 1_000;

export interface NotifiedReadsDeps {
  store: Store;
  config: Pick<Config, 'graphCaFile'>;
  sleep: (ms: number) => Promise<void>;
  stopped: () => boolean;
  log?: { warn(obj: object, msg: string): void } | undefined;
}

export interface NotifiedReads {
  /** These users' Teams presence changed: read them within DEBOUNCE_MS, with the tenant's others. */
  add(tenantId: string, extensionIds: readonly string[]): void;
  /** Waits for the reads under way (not for windows still open: those find the service stopped). */
  settle(): Promise<void>;
}

const readers = new WeakMap<Store, NotifiedReads>();

/** Hands notified users to the reader of the store's presence service (every server runs one). */
export function presenceChanged(store: Store, tenantId: string, extensionIds: readonly string[]): void {
  readers.get(store)?.add(tenantId, extensionIds);
}

/** The reader of a presence service, registered for its store (where `presenceChanged` finds it). */
export function createNotifiedReads(deps: NotifiedReadsDeps): NotifiedReads {
  /** Per tenant, the users of the open window (its read not started yet). */
  const pending = new Map<string, Set<string>>();
  /** Per tenant, the users whose read failed, waiting for the poll interval. */
  const retries = new Map<string, Set<string>>();
  const reading = new Set<Promise<void>>();

  function add(windows: Map<string, Set<string>>, tenantId: string, extensionIds: readonly string[], delayMs: number): void {
    const open = windows.get(tenantId);
    if (open) {
      for (const id of extensionIds) open.add(id);
      return;
    }
    const ids = new Set(extensionIds);
    windows.set(tenantId, ids);
    void deps.sleep(delayMs).then(() => {
      windows.delete(tenantId);
      if (deps.stopped()) return;
      const read = readNow(tenantId, [...ids])
        .catch((error: unknown) => deps.log?.warn({ tenantId, err: String(error) }, 'reading notified presences failed'))
        .finally(() => reading.delete(read));
      reading.add(read);
    });
  }

  async function readNow(tenantId: string, extensionIds: readonly string[]): Promise<void> {
    // A retry whose users were all read since.
    if (extensionIds.length === 0) return;
    const settings = await getPresenceSyncSettings(deps.store, tenantId);
    if (!settings.enabled || settings.source === 'calendar') return;
    const targets = await targetsOf(deps.store.db, tenantId, extensionIds);
    if (targets.length === 0) return;
    const graph = await graphForTenant(deps, tenantId);
    const unread: string[] = [];
    for (const batch of chunks(targets, PRESENCE_BATCH)) {
      const ids = batch.map((t) => t.extensionId);
      if ((await pollTeamsBatch(deps.store, graph, tenantId, settings, batch)).readFailed) unread.push(...ids);
      else for (const id of ids) retries.get(tenantId)?.delete(id);
    }
    if (unread.length > 0) add(retries, tenantId, unread, settings.pollSeconds * 1000);
  }

  const reader: NotifiedReads = {
    add: (tenantId, extensionIds) => add(pending, tenantId, extensionIds, DEBOUNCE_MS),
    async settle() {
      await Promise.allSettled([...reading]);
    },
  };
  readers.set(deps.store, reader);
  return reader;
}
