import type { AuthContext } from './auth.js';

/**
 * How long a nonce fetched ahead is used: half the server's challenge lifetime (10 minutes by
 * default), so the user still has minutes to finish signing in with Microsoft before it expires.
 */
export const PREPARED_NONCE_MAX_AGE_MS = 5 * 60_000;

interface Held {
  /** When it was asked for (the server's lifetime starts about then). */
  at: number;
  nonce: Promise<string>;
  /** Set once it has arrived. */
  value?: string;
}

/**
 * One sign-in nonce fetched ahead of the click that needs it: a popup opened after waiting for the
 * network has lost the click's user activation, and browsers block it. Nonces are single-use on
 * the server, so each is handed out once.
 */
export function preparedNonce() {
  let held: Held | undefined;
  const fresh = (entry: Held) => Date.now() - entry.at < PREPARED_NONCE_MAX_AGE_MS;

  return {
    /** Fetches a nonce unless a fresh one is held or on its way; one that fails is forgotten (`take` asks again). */
    prepare(ctx: AuthContext): void {
      if (held && fresh(held)) return;
      const entry: Held = { at: Date.now(), nonce: ctx.requestNonce().then(({ nonce }) => nonce) };
      entry.nonce.then(
        (nonce) => {
          entry.value = nonce;
        },
        () => {
          if (held === entry) held = undefined;
        },
      );
      held = entry;
    },
    /**
     * The held nonce, synchronously when it has arrived (so the caller can open its popup before
     * any await); one still on its way is awaited rather than asking for a second. Without a fresh
     * one held, a new one is fetched.
     */
    take(ctx: AuthContext): string | Promise<string> {
      const entry = held && fresh(held) ? held : undefined;
      held = undefined;
      if (!entry) return ctx.requestNonce().then(({ nonce }) => nonce);
      return entry.value ?? entry.nonce;
    },
  };
}
