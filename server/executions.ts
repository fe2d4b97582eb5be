import type { Store } from './store/index.js';

/** A sync run executing in this process. */
export interface Execution {
  tenantId: string;
  /** Checked by the run at its checkpoints. */
  stop: boolean;
  /** Set when the run is stopped for good (its integration was disabled or disconnected): it ends failed with this. */
  endedBecause?: string;
  promise: Promise<void>;
}

/** Which tenant's runs to stop, and why they end (instead of resuming at the next start). */
export interface StopScope {
  tenantId: string;
  reason: string;
}

/** The runs of one kind executing in this process, per store (tests open several stores in one process). */
export function executionRegistry() {
  const byStore = new WeakMap<Store, Map<string, Execution>>();
  const of = (store: Store): Map<string, Execution> => {
    let map = byStore.get(store);
    if (!map) byStore.set(store, (map = new Map<string, Execution>()));
    return map;
  };
  return {
    of,
    /**
     * Asks runs to stop at their next checkpoint and waits for them: every run (the server is
     * stopping; they resume at the next start), or one tenant's, ended for good with a reason
     * (other tenants' runs go on).
     */
    async stop(store: Store, only?: StopScope): Promise<void> {
      const stopping = [...of(store).values()].filter((e) => !only || e.tenantId === only.tenantId);
      for (const e of stopping) {
        e.stop = true;
        if (only) e.endedBecause = only.reason;
      }
      await Promise.all(stopping.map((e) => e.promise));
    },
  };
}
