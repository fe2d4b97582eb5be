/**
 * Append-only change log with contiguous sequence numbers, so "changes since N" is a slice
 * (delta queries cost O(changes), not O(directory)). `generation` lets the control API
 * invalidate every outstanding delta token at once.
 */
export class ChangeLog<T extends { seq: number }> {
  private entries: T[] = [];
  private base = 1;
  generation = 1;

  /** Sequence number of the last entry (0 when empty). */
  get seq(): number {
    return this.base + this.entries.length - 1;
  }

  append(entry: Omit<T, 'seq'>): T {
    const full = { ...entry, seq: this.seq + 1 } as T;
    this.entries.push(full);
    return full;
  }

  /** Entries with afterSeq < seq <= untilSeq. */
  between(afterSeq: number, untilSeq: number): T[] {
    const from = Math.max(0, afterSeq + 1 - this.base);
    const to = Math.max(from, untilSeq + 1 - this.base);
    return this.entries.slice(from, to);
  }

  /** Drops the history and bumps the generation: every token issued before is now expired. */
  expireTokens(): void {
    this.base = this.seq + 1;
    this.entries = [];
    this.generation += 1;
  }
}
