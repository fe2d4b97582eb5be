/**
 * Outlook (Exchange) allows 4 concurrent requests per app per mailbox and answers more with 429
 * "MailboxConcurrency" (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits).
 * Every module that reads a mailbox (contacts, calendar) goes through one client per tenant, so a
 * limiter keyed by mailbox here holds the limit whoever the callers are.
 */
export const OUTLOOK_MAILBOX_CONCURRENCY = 4;

/** `/v1.0/users/{id}/contacts…`, `/contactFolders…`, `/calendar…`, `/events…` → the mailbox id. */
const MAILBOX_PATH = /^\/v1\.0\/users\/([^/]+)\/(contacts|contactfolders|calendar|calendarview|calendars|events|mailfolders|messages|mailboxsettings)(\/|$)/i;

export function mailboxOf(url: string): string | undefined {
  const match = MAILBOX_PATH.exec(new URL(url).pathname);
  return match?.[1] ? decodeURIComponent(match[1]).toLowerCase() : undefined;
}

export interface MailboxLimiter {
  /** Waits for a free slot of `mailbox`; call the result when the request is done. */
  acquire(mailbox: string): Promise<() => void>;
  /** Requests in flight for a mailbox (tests and metrics). */
  inFlight(mailbox: string): number;
}

export function createMailboxLimiter(limit = OUTLOOK_MAILBOX_CONCURRENCY): MailboxLimiter {
  const slots = new Map<string, { running: number; waiters: Array<() => void> }>();
  return {
    async acquire(mailbox) {
      let slot = slots.get(mailbox);
      if (!slot) slots.set(mailbox, (slot = { running: 0, waiters: [] }));
      const entry = slot;
      while (entry.running >= limit) await new Promise<void>((resolve) => entry.waiters.push(resolve));
      entry.running++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        entry.running--;
        const next = entry.waiters.shift();
        if (next) next();
        else if (entry.running === 0) slots.delete(mailbox);
      };
    },
    inFlight: (mailbox) => slots.get(mailbox)?.running ?? 0,
  };
}
