export interface LoggedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  /** Raw query string without '?'. */
  query: string;
  status: number;
  /** Client id: from the bearer token for Graph, from the form for the token endpoint. */
  appId: string | null;
  /** True for requests that ran inside a $batch. */
  batched: boolean;
  /** Set when the control API's fault injection produced the answer. */
  fault: string | null;
}

/** Ring buffer of the last requests, for tests to assert on what a client really did. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly capacity = 20_000) {}

  add(entry: Omit<LoggedRequest, 'seq' | 'time'>): void {
    this.entries.push({ ...entry, seq: ++this.seq, time: new Date().toISOString() });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(filter: { path?: string; method?: string; since?: number } = {}): LoggedRequest[] {
    return this.entries.filter(
      (e) =>
        (filter.since === undefined || e.seq > filter.since) &&
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.path === undefined || e.path.toLowerCase().includes(filter.path.toLowerCase())),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
