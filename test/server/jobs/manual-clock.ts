import type { Clock } from '../../../server/jobs/index.js';

/** A clock that only moves when told to; due timers fire as it passes them. */
export class ManualClock implements Clock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return () => this.timers.delete(id);
  }

  set(time: number): void {
    this.time = time;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at > time) continue;
      this.timers.delete(id);
      timer.fn();
    }
  }
}
