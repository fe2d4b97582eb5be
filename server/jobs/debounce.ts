import type { JobRunner } from './runner.js';
import type { ScheduleSettings } from './schedule-settings.js';
import { DELTA_SYNC, syncKey } from './sync-jobs.js';

/**
 * Turns change notifications into delta runs: a run starts `delayMinutes` after the first change
 * of a batch, or at once when `burst` changes have come in. The queued job is the durable part
 * (it survives a restart); the change count lives in memory and restarts at zero. With several
 * instances each counts the notifications it received, and a batch ends with any run started
 * after its first change, on whichever instance (`lastRunStart`).
 */
export class ChangeDebouncer {
  private readonly pending = new Map<string, { first: number; count: number }>();

  constructor(
    private readonly runner: JobRunner,
    private readonly settingsOf: (tenantId: string) => Promise<ScheduleSettings>,
    /** When the tenant's latest directory run started (ms), on any instance. */
    private readonly lastRunStart: (tenantId: string) => Promise<number | undefined> = () => Promise.resolve(undefined),
  ) {}

  /** The tenant's open batch: one that a run started since then has covered is over. */
  private async batchOf(tenantId: string, now: number): Promise<{ first: number; count: number }> {
    const open = this.pending.get(tenantId);
    const lastRun = open ? await this.lastRunStart(tenantId) : undefined;
    if (open && (lastRun === undefined || lastRun < open.first)) return open;
    return { first: now, count: 0 };
  }

  /** Records `changes` for the tenant and makes sure a delta run is queued in time. */
  async note(tenantId: string, changes: number, now = Date.now()): Promise<void> {
    const { changeTrigger } = await this.settingsOf(tenantId);
    if (!changeTrigger.enabled) return;
    const batch = await this.batchOf(tenantId, now);
    batch.count += changes;
    this.pending.set(tenantId, batch);
    const runAt = batch.count >= changeTrigger.burst ? now : batch.first + changeTrigger.delayMinutes * 60_000;
    await this.runner.enqueue(DELTA_SYNC, tenantId, { singletonKey: syncKey(tenantId), runAt: new Date(runAt) });
  }

  /** A delta run is starting: it covers every change counted so far. */
  started(tenantId: string): void {
    this.pending.delete(tenantId);
  }
}
