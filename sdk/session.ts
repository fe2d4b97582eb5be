import type { AuthContext, AuthStrategy } from './auth.js';
import { isSessionEnded, SdkErrorCodes, UcBridgeError } from './errors.js';
import type { Requester } from './http.js';
import type { SessionTokens } from './types.js';

/** Where the client keeps the PBX session in one page or worker (the default keeps it in memory). */
export interface SessionStore {
  get(): SessionTokensWithExpiry | undefined;
  set(session: SessionTokensWithExpiry | undefined): void;
}

/**
 * A session store several contexts share, e.g. a browser extension's `storage.session` read by
 * its pages and its background worker. Pair it with a `withLock` that spans those contexts.
 */
export interface AsyncSessionStore {
  get(): Promise<SessionTokensWithExpiry | undefined>;
  set(session: SessionTokensWithExpiry | undefined): Promise<void>;
}

/**
 * Runs `task` while holding the lock called `name`, e.g. `(name, task) => navigator.locks.request(name, task)`.
 * The client refreshes the session under it: two contexts rotating one refresh token would look
 * like a stolen token to the server, which then revokes the sign-in.
 */
export type WithLock = <T>(name: string, task: () => Promise<T>) => Promise<T>;

/** A session with absolute expiry times (ms since epoch). */
export interface SessionTokensWithExpiry {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
}

/** The default: in memory only (a page reload renews through the auth strategy). */
export function memorySessionStore(): SessionStore {
  let current: SessionTokensWithExpiry | undefined;
  return { get: () => current, set: (session) => (current = session) };
}

/** A synchronous store behind the asynchronous interface the session manager uses. */
export const asyncStore = (store: SessionStore): AsyncSessionStore => ({
  get: () => Promise.resolve(store.get()),
  set: (session) => Promise.resolve(store.set(session)),
});

/** A lock within one JavaScript context (the default): tasks run one after another, in call order. Share one between clients of the same context. */
export function localLock(): WithLock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(_name: string, task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** The lock name refreshes run under. */
export const REFRESH_LOCK = 'ucbridge-session-refresh';

/** Refresh this long before the access token expires. */
const EARLY_MS = 30_000;

const withExpiry = (tokens: SessionTokens): SessionTokensWithExpiry => ({
  accessToken: tokens.accessToken,
  refreshToken: tokens.refreshToken,
  accessExpiresAt: Date.now() + tokens.expiresIn * 1000,
  refreshExpiresAt: Date.now() + tokens.refreshExpiresIn * 1000,
});

const fresh = (session: SessionTokensWithExpiry): boolean => session.accessExpiresAt - EARLY_MS > Date.now();

export interface SessionManagerOptions {
  request: Requester;
  store: AsyncSessionStore;
  strategy: AuthStrategy;
  ctx: AuthContext;
  withLock: WithLock;
}

/**
 * Keeps the PBX session fresh. Refreshes are single-flight in this context and run under
 * `withLock` across contexts; inside the lock the store is read again, so a context that waited
 * uses the token another one just obtained instead of rotating the old refresh token a second time.
 */
export function createSessionManager({ request, store, strategy, ctx, withLock }: SessionManagerOptions) {
  let refreshing: Promise<string> | undefined;
  let lastSeen = false;

  const read = async () => {
    const session = await store.get();
    lastSeen = session !== undefined;
    return session;
  };
  const write = async (session: SessionTokensWithExpiry | undefined) => {
    lastSeen = session !== undefined;
    await store.set(session);
  };

  async function adopt(tokens: SessionTokens): Promise<string> {
    await write(withExpiry(tokens));
    return tokens.accessToken;
  }

  async function renewOrFail(cause: unknown): Promise<string> {
    await write(undefined);
    const renewed = strategy.renew ? await strategy.renew(ctx) : undefined;
    if (renewed) return adopt(renewed);
    if (cause instanceof UcBridgeError) throw cause;
    throw new UcBridgeError(SdkErrorCodes.notSignedIn, 'Not signed in: call signIn() first.');
  }

  /** Refreshes under the lock, unless the stored session (maybe rotated meanwhile) is `usable`. */
  const refreshUnless = (usable: (session: SessionTokensWithExpiry) => boolean): Promise<string> =>
    withLock(REFRESH_LOCK, async () => {
      const current = await read();
      if (current && usable(current)) return current.accessToken;
      if (!current || current.refreshExpiresAt <= Date.now()) return renewOrFail(undefined);
      try {
        return await adopt(await request<SessionTokens>('POST', '/api/v1/sso/refresh', { body: { refreshToken: current.refreshToken } }));
      } catch (error) {
        if (isSessionEnded(error)) return renewOrFail(error);
        throw error;
      }
    });

  return {
    adopt,
    /** Whether a session was there when the store was last read or written (for synchronous callers). */
    lastSeen: () => lastSeen,
    hasSession: async () => (await read()) !== undefined,
    /**
     * A valid access token, refreshed (or renewed) when needed. After the server refused a token,
     * pass it as `rejected`: a different fresh token in the store is used, else the session is refreshed.
     */
    async accessToken(rejected?: string): Promise<string> {
      if (rejected !== undefined) return refreshUnless((s) => s.accessToken !== rejected && fresh(s));
      const current = await read();
      if (current && fresh(current)) return current.accessToken;
      refreshing ??= refreshUnless(fresh).finally(() => (refreshing = undefined));
      return refreshing;
    },
    /** Ends the session on the server (best effort) and forgets it. */
    async end(): Promise<void> {
      const current = await read();
      await write(undefined);
      if (current) await request('POST', '/api/v1/sso/logout', { body: { refreshToken: current.refreshToken } }).catch(() => undefined);
    },
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;
