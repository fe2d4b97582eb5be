/**
 * The emulator's notion of "now". Tests advance it to age delta tokens, presence sessions and
 * subscriptions without waiting. JWT lifetimes use real time because MSAL caches by real time.
 */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
