import { signal, type ReadonlySignal } from '@preact/signals';
import type { StatusInfo } from '../../sdk/index.js';
import { readLastStatus, watchLastStatus } from '../background/last-status.js';
import type { ExtensionStatus } from '../presence.js';
import { problemOf, type Problem } from './errors.js';
import type { SessionStore } from './session.js';

export interface StatusStore {
  status: ReadonlySignal<StatusInfo | undefined>;
  problem: ReadonlySignal<Problem | undefined>;
  /** The status the user just set by hand, for the confirmation line. */
  justSet: ReadonlySignal<ExtensionStatus | undefined>;
  load(): Promise<void>;
  setStatus(status: ExtensionStatus): Promise<void>;
}

/**
 * The user's extension status: what the background's stream last delivered (live), refreshed
 * from the server when a page opens, and set by hand from the popup.
 */
export function createStatusStore(session: SessionStore): StatusStore {
  const status = signal<StatusInfo | undefined>(undefined);
  const problem = signal<Problem | undefined>(undefined);
  const justSet = signal<ExtensionStatus | undefined>(undefined);
  watchLastStatus((next) => {
    if (next) status.value = next;
  });
  return {
    status,
    problem,
    justSet,
    async load() {
      status.value = (await readLastStatus()) ?? status.value;
      const client = session.client.value;
      if (!client) return;
      try {
        status.value = await client.presence.status();
      } catch (error) {
        problem.value = problemOf(error);
      }
    },
    async setStatus(next) {
      const client = session.client.value;
      if (!client) return;
      problem.value = undefined;
      justSet.value = undefined;
      try {
        status.value = await client.presence.setStatus(next);
        justSet.value = next;
      } catch (error) {
        problem.value = problemOf(error);
      }
    },
  };
}
