import { signal } from '@preact/signals';
import type { RunView } from '../../directory/index.js';
import type { Api } from '../api/endpoints.js';
import { errorMessage, type Message } from '../forms/form.js';

/** How often an active run is re-read for its live progress. */
export const POLL_MS = 1000;

export const isActive = (run: RunView): boolean => run.status === 'queued' || run.status === 'running';

/** The run log, the run being looked at, and "Sync now" / "Confirm" for held runs. */
export function createSyncRunsStore(api: Api) {
  const runs = signal<RunView[]>([]);
  const nextCursor = signal<string | null>(null);
  const selected = signal<RunView | null>(null);
  const problem = signal<Message | null>(null);
  const busy = signal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const replaceInList = (run: RunView) => {
    runs.value = runs.value.some((r) => r.id === run.id)
      ? runs.value.map((r) => (r.id === run.id ? run : r))
      : [run, ...runs.value];
  };

  const poll = async (id: string): Promise<void> => {
    clearTimeout(timer);
    try {
      const run = await api.syncRuns.get(id);
      replaceInList(run);
      if (selected.value?.id !== id && selected.value !== null) return;
      selected.value = run;
      if (isActive(run)) timer = setTimeout(() => void poll(id), POLL_MS);
    } catch (error) {
      problem.value = errorMessage(error);
    }
  };

  const guarded = async (action: () => Promise<void>) => {
    busy.value = true;
    problem.value = null;
    try {
      await action();
    } catch (error) {
      problem.value = errorMessage(error);
    } finally {
      busy.value = false;
    }
  };

  return {
    runs,
    nextCursor,
    selected,
    problem,
    busy,
    async load(more = false): Promise<void> {
      await guarded(async () => {
        const page = await api.syncRuns.list(more ? nextCursor.value : null);
        runs.value = more ? [...runs.value, ...page.items] : page.items;
        nextCursor.value = page.nextCursor;
        const active = page.items.find(isActive);
        if (!more && !selected.value && active) await poll(active.id);
      });
    },
    select(id: string): Promise<void> {
      selected.value = runs.value.find((r) => r.id === id) ?? null;
      return poll(id);
    },
    /** Starts a run; `full` re-reads the whole directory instead of only the changes. */
    syncNow(full = false): Promise<void> {
      return guarded(async () => {
        const { id } = await api.syncRuns.start(full);
        selected.value = null;
        await poll(id);
      });
    },
    confirm(id: string): Promise<void> {
      return guarded(async () => {
        await api.syncRuns.confirm(id);
        await poll(id);
      });
    },
    /** Drops a held run: nothing is deleted; the next run plans afresh. */
    cancel(id: string): Promise<void> {
      return guarded(async () => {
        await api.syncRuns.cancel(id);
        await poll(id);
      });
    },
    stop(): void {
      clearTimeout(timer);
    },
  };
}

export type SyncRunsStore = ReturnType<typeof createSyncRunsStore>;
