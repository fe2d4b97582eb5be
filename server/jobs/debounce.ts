import type { JobRunner } from './runner.js';
import type { ScheduleSettings } from './schedule-settings.js';
import { DELTA_SYNC, syncKey } from './sync-jobs.js';

/**
 * Turns change notifications into delta runs: a run starts `delayMinutes` after the first change
 * of a batch, or at once when `burst` changes have come in. The queued job is the durable part
 * (it survives a restart); the change count lives in memory and restarts at zero.
 */
export class ChangeDebouncer {
  private readonly pending = new Map<string, { first: number; count: number }>();

  constructor(
    private readonly runner: JobRunner,
    private readonly settingsOf: (tenantId: string) => Promise<ScheduleSettings>,
  ) {}

  /** Records `changes` for the tenant and makes sure a delta run is queued in time. */
  async note(tenantId: string, changes: number, now = Date.now()): Promise<void> {
    const { changeTrigger } = await this.settingsOf(tenantId);
    if (!changeTrigger.enabled) return;
    const batch = this.pending.get(tenantId) ?? { first: now, count: 0 };
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
