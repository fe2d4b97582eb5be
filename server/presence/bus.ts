import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.js';
import type { ExtensionStatusView } from './status.js';

/** One status change, as pushed to signed-in clients (SSE) and, later, to other instances. */
export interface StatusEvent {
  /** `<boot id>.<sequence>`: orders events and lets a reconnecting client resume. */
  id: string;
  tenantId: string;
  status: ExtensionStatusView;
  /** Set when the change was detected by another instance and relayed here (./fanout-postgres.ts). */
  remote?: true;
}

export type StatusListener = (event: StatusEvent) => void;

/** Why the bus ended a subscription: the extension was removed from sync, disabled or unlinked. */
export type StreamEndListener = (reason: string) => void;

/**
 * In-process fan-out of extension status changes. Whoever changes a status (presence poller,
 * calendar, admin, PBX) publishes here — `setExtensionStatus` does it for you — and every
 * subscriber of that extension hears it. The bus remembers the last events so a client that
 * reconnects with `Last-Event-ID` gets what it missed.
 */
export interface StatusBus {
  publish(tenantId: string, status: ExtensionStatusView, options?: { remote?: boolean }): StatusEvent;
  /** Hears every event of every extension (the fan-out to other instances). */
  observe(listener: StatusListener): () => void;
  /**
   * Listens to one extension's changes. `onEnd` is called (once, after the subscription was
   * removed) when the extension may no longer receive them — an SSE stream closes then.
   */
  subscribe(tenantId: string, extensionId: string, listener: StatusListener, onEnd?: StreamEndListener): () => void;
  /** Ends every subscription of an extension (presence sync calls it for users removed from sync). */
  end(tenantId: string, extensionId: string, reason: string): number;
  /** Extensions with at least one subscriber. */
  subscribed(): Array<{ tenantId: string; extensionId: string }>;
  /**
   * The extension's events after `lastEventId`, oldest first; `undefined` when that id is not
   * one this bus can still resume from (another process start, or fallen out of the buffer):
   * the caller then sends the current status instead.
   */
  since(tenantId: string, extensionId: string, lastEventId: string): StatusEvent[] | undefined;
  /** Id of the newest event so far: a snapshot read after it is at least that recent. */
  lastId(): string;
}

/** Events kept for resuming; a client away longer gets the current status instead. */
const REPLAY_BUFFER = 2048;

export function createStatusBus(): StatusBus {
  const boot = randomBytes(6).toString('base64url');
  let seq = 0;
  const recent: Array<{ seq: number; event: StatusEvent }> = [];
  const listeners = new Map<string, Set<StatusListener>>();
  const enders = new Map<StatusListener, StreamEndListener>();
  const observers = new Set<StatusListener>();
  const key = (tenantId: string, extensionId: string) => `${tenantId}\n${extensionId}`;

  return {
    publish(tenantId, status, options) {
      seq += 1;
      const event: StatusEvent = { id: `${boot}.${seq}`, tenantId, status, ...(options?.remote ? { remote: true as const } : {}) };
      recent.push({ seq, event });
      if (recent.length > REPLAY_BUFFER) recent.shift();
      for (const listener of listeners.get(key(tenantId, status.extensionId)) ?? []) listener(event);
      for (const observer of observers) observer(event);
      return event;
    },
    observe(listener) {
      observers.add(listener);
      return () => observers.delete(listener);
    },
    subscribe(tenantId, extensionId, listener, onEnd) {
      const k = key(tenantId, extensionId);
      const set = listeners.get(k) ?? new Set<StatusListener>();
      listeners.set(k, set.add(listener));
      if (onEnd) enders.set(listener, onEnd);
      return () => {
        set.delete(listener);
        enders.delete(listener);
        if (set.size === 0 && listeners.get(k) === set) listeners.delete(k);
      };
    },
    end(tenantId, extensionId, reason) {
      const k = key(tenantId, extensionId);
      const set = listeners.get(k);
      if (!set) return 0;
      listeners.delete(k);
      for (const listener of set) {
        const onEnd = enders.get(listener);
        enders.delete(listener);
        onEnd?.(reason);
      }
      return set.size;
    },
    subscribed() {
      return [...listeners.keys()].map((k) => {
        const [tenantId = '', extensionId = ''] = k.split('\n');
        return { tenantId, extensionId };
      });
    },
    lastId: () => `${boot}.${seq}`,
    since(tenantId, extensionId, lastEventId) {
      const [eventBoot, text] = lastEventId.split('.');
      const last = Number(text);
      if (eventBoot !== boot || !Number.isInteger(last) || last > seq) return undefined;
      const oldest = recent[0]?.seq ?? seq + 1;
      if (last < oldest - 1) return undefined;
      return recent
        .filter((r) => r.seq > last && r.event.tenantId === tenantId && r.event.status.extensionId === extensionId)
        .map((r) => r.event);
    },
  };
}

const buses = new WeakMap<Store, StatusBus>();

/** The bus of a store: every module of one server process publishes and listens on the same one. */
export function statusBusFor(store: Store): StatusBus {
  let bus = buses.get(store);
  if (!bus) buses.set(store, (bus = createStatusBus()));
  return bus;
}
