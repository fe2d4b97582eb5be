import { describe, expect, it } from 'vitest';
import { createPresenceLeases, LEASE_MS } from '../../../server/presence/leases.js';
import { useTestStore } from '../../support/store.js';

const db = useTestStore();

describe('presence polling leases (one poller per tenant across instances)', () => {
  it('gives a tenant to one instance, keeps it while renewed, and hands it over when it lapses', async () => {
    const a = createPresenceLeases(db.store);
    const b = createPresenceLeases(db.store);
    const t0 = Date.now();
    expect(await a.holds('t1', t0)).toBe(true);
    expect(await b.holds('t1', t0)).toBe(false);
    // Another tenant can go to the other instance.
    expect(await b.holds('t2', t0)).toBe(true);
    expect(await a.holds('t2', t0)).toBe(false);

    // A renews before the lease runs out, so B still cannot take it.
    expect(await a.holds('t1', t0 + LEASE_MS - 5_000)).toBe(true);
    expect(await b.holds('t1', t0 + LEASE_MS + 1_000)).toBe(false);

    // A stops renewing (crashed): once the lease lapses, B takes over and A is out.
    const later = t0 + 2 * LEASE_MS + 1;
    expect(await b.holds('t1', later)).toBe(true);
    expect(await a.holds('t1', later)).toBe(false);
  });

  it('releases every lease at shutdown so another instance takes over at once', async () => {
    const a = createPresenceLeases(db.store);
    const b = createPresenceLeases(db.store);
    const now = Date.now();
    expect(await a.holds('t3', now)).toBe(true);
    expect(await b.holds('t3', now)).toBe(false);
    await a.releaseAll();
    expect(await b.holds('t3', now)).toBe(true);
  });
});
