import { describe, expect, it } from 'vitest';
import { createMailboxLimiter, mailboxOf } from '../../../server/graph/index.js';

describe('per-mailbox concurrency (Outlook: 4 requests in flight per mailbox)', () => {
  it('recognises mailbox paths, nextLinks and deltaLinks, and nothing else', () => {
    const base = 'https://graph.example/v1.0';
    expect(mailboxOf(`${base}/users/ABC-1/contactFolders/F1/contacts/delta?$deltatoken=x`)).toBe('abc-1');
    expect(mailboxOf(`${base}/users/abc-1/contacts?$top=1`)).toBe('abc-1');
    expect(mailboxOf(`${base}/users/abc-1/calendarView?startDateTime=x`)).toBe('abc-1');
    expect(mailboxOf(`${base}/users/abc-1`)).toBeUndefined();
    expect(mailboxOf(`${base}/users/abc-1/presence`)).toBeUndefined();
    expect(mailboxOf(`${base}/groups/g/transitiveMembers`)).toBeUndefined();
  });

  it('lets 4 requests of a mailbox run at once and queues the 5th, other mailboxes unaffected', async () => {
    const limiter = createMailboxLimiter(4);
    const releases = await Promise.all([1, 2, 3, 4].map(() => limiter.acquire('a')));
    let fifth = false;
    const waiting = limiter.acquire('a').then((release) => {
      fifth = true;
      return release;
    });
    const other = await limiter.acquire('b');
    await new Promise((r) => setTimeout(r, 10));
    expect(fifth).toBe(false);
    expect(limiter.inFlight('a')).toBe(4);
    expect(limiter.inFlight('b')).toBe(1);
    releases[0]?.();
    const release5 = await waiting;
    expect(fifth).toBe(true);
    expect(limiter.inFlight('a')).toBe(4);
    for (const r of [...releases.slice(1), release5, other]) r?.();
    expect(limiter.inFlight('a')).toBe(0);
    expect(limiter.inFlight('b')).toBe(0);
  });
});
