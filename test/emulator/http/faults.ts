import { createRng, type Rng } from '../util/random.js';

/**
 * Fault injection settings (control API POST /_emulator/faults). Rates are probabilities per
 * matching request, drawn from a seeded generator so a run is reproducible.
 */
export interface FaultConfig {
  /** Share of requests answered 429 TooManyRequests. */
  rate429?: number;
  /** Retry-After seconds on injected 429/503 (null: omit the header, clients must back off). Default 1. */
  retryAfter?: number | null;
  /** Share of requests answered with `status5xx` (default 503). */
  rate5xx?: number;
  status5xx?: number;
  /** Delay before every matching request is handled. */
  latencyMs?: number;
  /** Share of requests whose TCP connection is destroyed without an answer. */
  resetRate?: number;
  /**
   * Which paths the faults apply to: globs (`*` matches anything, including '/') or regexes
   * prefixed with "re:" (e.g. "re:^/v1\\.0/users"). Default ["/v1.0/*"]: Graph only, not the token
   * endpoint. Inside a $batch the inner request's path (/v1.0/…) is what is matched.
   */
  paths?: string[];
  methods?: string[];
  /** Stop injecting after this many faults (latency excluded); handy for "fail once, then succeed". */
  count?: number;
}

export type FaultAction = { kind: 'none' } | { kind: 'reset' } | { kind: 'throttle'; retryAfter: number | null } | { kind: 'error'; status: number; retryAfter: number | null };

export interface FaultDecision {
  latencyMs: number;
  action: FaultAction;
}

const NONE: FaultDecision = { latencyMs: 0, action: { kind: 'none' } };

function toMatcher(pattern: string): RegExp {
  if (pattern.startsWith('re:')) return new RegExp(pattern.slice(3), 'i');
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

export class Faults {
  private config: FaultConfig | null = null;
  private matchers: RegExp[] = [];
  private remaining = Infinity;
  private rng: Rng;
  injected = 0;

  constructor(private readonly seed: number) {
    this.rng = createRng(seed);
  }

  get current(): FaultConfig | null {
    return this.config;
  }

  set(config: FaultConfig): void {
    this.config = config;
    this.matchers = (config.paths ?? ['/v1.0/*']).map(toMatcher);
    this.remaining = config.count ?? Infinity;
    this.rng = createRng(this.seed);
    this.injected = 0;
  }

  clear(): void {
    this.config = null;
    this.matchers = [];
  }

  decide(method: string, path: string, canReset: boolean): FaultDecision {
    const c = this.config;
    if (!c || !this.matchers.some((m) => m.test(path))) return NONE;
    if (c.methods && !c.methods.some((m) => m.toUpperCase() === method)) return NONE;
    const latencyMs = c.latencyMs ?? 0;
    if (this.remaining <= 0) return { latencyMs, action: { kind: 'none' } };
    const retryAfter = c.retryAfter === undefined ? 1 : c.retryAfter;
    let action: FaultAction = { kind: 'none' };
    if (canReset && c.resetRate && this.rng.next() < c.resetRate) action = { kind: 'reset' };
    else if (c.rate429 && this.rng.next() < c.rate429) action = { kind: 'throttle', retryAfter };
    else if (c.rate5xx && this.rng.next() < c.rate5xx) action = { kind: 'error', status: c.status5xx ?? 503, retryAfter };
    if (action.kind !== 'none') {
      this.remaining -= 1;
      this.injected += 1;
    }
    return { latencyMs, action };
  }
}
