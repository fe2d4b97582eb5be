import type { Clock } from '../util/clock.js';
import { createRng, deriveSeed } from '../util/random.js';

export const AVAILABILITIES = ['Available', 'AvailableIdle', 'Away', 'BeRightBack', 'Busy', 'BusyIdle', 'DoNotDisturb', 'Offline', 'PresenceUnknown'] as const;
export const ACTIVITIES = [
  'Available', 'Away', 'BeRightBack', 'Busy', 'DoNotDisturb', 'InACall', 'InAConferenceCall', 'Inactive', 'InAMeeting',
  'Offline', 'OffWork', 'OutOfOffice', 'PresenceUnknown', 'Presenting', 'UrgentInterruptionsOnly',
] as const;

export interface PresenceState {
  availability: string;
  activity: string;
}

interface Session extends PresenceState {
  setAt: number;
  expiresAt: number;
}

interface PresenceRecord {
  /** What the user's Teams clients report (set by the control API or the ticker). */
  client: PresenceState;
  /** setUserPreferredPresence: beats every app session while it lasts. */
  preferred: (PresenceState & { expiresAt: number }) | null;
  /** App sessions by sessionId (setPresence). */
  sessions: Map<string, Session>;
}

export interface PresenceChange {
  userId: string;
  before: PresenceState;
  after: PresenceState;
}

const MINUTE = 60_000;

/** Seeded distribution of Teams client states: mostly available, a realistic share in calls and offline. */
const CLIENT_STATES: readonly PresenceState[] = [
  ...Array<PresenceState>(8).fill({ availability: 'Available', activity: 'Available' }),
  { availability: 'AvailableIdle', activity: 'Available' },
  { availability: 'Busy', activity: 'InACall' },
  { availability: 'Busy', activity: 'InAMeeting' },
  { availability: 'Busy', activity: 'InAConferenceCall' },
  { availability: 'Away', activity: 'Away' },
  { availability: 'BeRightBack', activity: 'BeRightBack' },
  { availability: 'DoNotDisturb', activity: 'Presenting' },
  { availability: 'DoNotDisturb', activity: 'UrgentInterruptionsOnly' },
  { availability: 'Offline', activity: 'OffWork' },
  { availability: 'Offline', activity: 'Offline' },
  { availability: 'Away', activity: 'OutOfOffice' },
];

/**
 * Among app-configured sessions DoNotDisturb > Busy > Available > Away; a user-configured state
 * beats them all. https://learn.microsoft.com/graph/api/presence-setpresence
 */
const RANK: Record<string, number> = { DoNotDisturb: 5, Busy: 4, BusyIdle: 4, Available: 3, AvailableIdle: 3, Away: 2, BeRightBack: 2 };

export class PresenceStore {
  private readonly records = new Map<string, PresenceRecord>();
  private readonly listeners = new Set<(c: PresenceChange) => void>();

  constructor(
    private readonly clock: Clock,
    private seed: number,
  ) {}

  reset(seed: number): void {
    this.seed = seed;
    this.records.clear();
  }

  onChange(listener: (c: PresenceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  randomClientState(userKey: number, salt: number): PresenceState {
    const rng = createRng(deriveSeed(this.seed, 11, userKey, salt));
    return { ...rng.pick(CLIENT_STATES) };
  }

  private record(userId: string, userKey: number): PresenceRecord {
    let rec = this.records.get(userId);
    if (!rec) {
      rec = { client: this.randomClientState(userKey, 0), preferred: null, sessions: new Map() };
      this.records.set(userId, rec);
    }
    return rec;
  }

  /** The aggregated presence Graph reports for the user right now. */
  get(userId: string, userKey: number): PresenceState {
    return this.aggregate(this.record(userId, userKey));
  }

  private aggregate(rec: PresenceRecord): PresenceState {
    const now = this.clock.now();
    if (rec.preferred && rec.preferred.expiresAt > now) return pick(rec.preferred);
    let best: PresenceState | null = null;
    for (const [id, s] of rec.sessions) {
      if (s.expiresAt <= now) {
        rec.sessions.delete(id); // an expired session is gone
        continue;
      }
      const state = decay(s, now);
      if (!best || (RANK[state.availability] ?? 0) > (RANK[best.availability] ?? 0)) best = state;
    }
    const client = rec.client;
    if (!best || (RANK[client.availability] ?? 0) > (RANK[best.availability] ?? 0)) best = client;
    return pick(best);
  }

  private mutate(userId: string, userKey: number, change: (rec: PresenceRecord) => void): PresenceState {
    const rec = this.record(userId, userKey);
    const before = this.aggregate(rec);
    change(rec);
    const after = this.aggregate(rec);
    if (before.availability !== after.availability || before.activity !== after.activity) {
      for (const l of this.listeners) l({ userId, before, after });
    }
    return after;
  }

  setClient(userId: string, userKey: number, state: PresenceState): PresenceState {
    return this.mutate(userId, userKey, (rec) => void (rec.client = pick(state)));
  }

  setSession(userId: string, userKey: number, sessionId: string, state: PresenceState, durationMs: number): PresenceState {
    const now = this.clock.now();
    return this.mutate(userId, userKey, (rec) => void rec.sessions.set(sessionId, { ...pick(state), setAt: now, expiresAt: now + durationMs }));
  }

  clearSession(userId: string, userKey: number, sessionId: string): boolean {
    let existed = false;
    this.mutate(userId, userKey, (rec) => void (existed = rec.sessions.delete(sessionId)));
    return existed;
  }

  setPreferred(userId: string, userKey: number, state: PresenceState | null, durationMs: number): PresenceState {
    const expiresAt = this.clock.now() + durationMs;
    return this.mutate(userId, userKey, (rec) => void (rec.preferred = state ? { ...pick(state), expiresAt } : null));
  }
}

const pick = (s: PresenceState): PresenceState => ({ availability: s.availability, activity: s.activity });

/**
 * An Available session times out in stages: after 5 minutes it reads as idle, after another 5
 * as Away/Away (presence-setpresence, "Timeout, expiration, and keep alive").
 */
function decay(s: Session, now: number): PresenceState {
  if (s.availability !== 'Available') return pick(s);
  const idle = now - s.setAt;
  if (idle >= 10 * MINUTE) return { availability: 'Away', activity: 'Away' };
  if (idle >= 5 * MINUTE) return { availability: 'AvailableIdle', activity: 'Inactive' };
  return pick(s);
}
