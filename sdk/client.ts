import { signInError, type AuthContext, type AuthStrategy } from './auth.js';
import { UcBridgeError } from './errors.js';
import { createRequester } from './http.js';
import {
  asyncStore,
  createSessionManager,
  localLock,
  memorySessionStore,
  type AsyncSessionStore,
  type SessionStore,
  type WithLock,
} from './session.js';
import { followStatus, type SubscribeOptions } from './sse.js';
import type {
  Contact,
  ExtensionStatus,
  Me,
  Page,
  PresenceMapping,
  PresenceMappingInput,
  SessionTokens,
  SignInChallenge,
  SignInParameters,
  StatusInfo,
} from './types.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The ucbridge server, e.g. `https://pbx.example.com` (no trailing slash needed). */
  serverUrl: string;
  /** How users sign in: `msalAuth(…)`, `serverFlowAuth(…)` or your own {@link AuthStrategy}. */
  auth: AuthStrategy;
  /** The PBX tenant on multi-PBX servers (default `default`). */
  tenant?: string;
  /** Where this page keeps the PBX session (default: memory). */
  storage?: SessionStore;
  /**
   * A session store shared by several contexts (e.g. a browser extension's pages and worker);
   * takes the place of `storage`. Give a `withLock` that spans the same contexts.
   */
  sessionStore?: AsyncSessionStore;
  /** The lock refreshes run under (default: one for this client only). */
  withLock?: WithLock;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** Options of `contacts.search`. */
export interface SearchOptions {
  limit?: number;
  cursor?: string;
  /** Cancels the search (the promise then rejects with an `AbortError`). */
  signal?: AbortSignal;
}

/** The ucbridge client: sign-in, the signed-in user, their presence mapping and status, contacts. */
export interface UcBridgeClient {
  /** Signs in interactively; resolves with the user, or `undefined` when the page navigates away (redirect flows). */
  signIn(): Promise<Me | undefined>;
  /** Finishes a redirect sign-in; call once when the page loads. Resolves with the user, or `undefined`. */
  handleRedirect(): Promise<Me | undefined>;
  /** Ends the PBX session and forgets the Microsoft sign-in. */
  signOut(): Promise<void>;
  /** Whether a PBX session was held when the session store was last read (it may still turn out to be revoked). */
  isSignedIn(): boolean;
  /** Whether the session store holds a PBX session now (reads a shared store). */
  hasSession(): Promise<boolean>;
  /** The server's Entra client id and authority, for showing or pre-filling sign-in settings. */
  signInParameters(): Promise<SignInParameters>;
  /** The signed-in user and their extension. */
  me(): Promise<Me>;
  readonly presence: {
    /** How Teams presence sets the extension status. */
    getMapping(): Promise<PresenceMapping>;
    /** Replaces the mapping (missing availabilities take the defaults); resolves with what was saved. */
    setMapping(mapping: PresenceMappingInput): Promise<PresenceMapping>;
    /** The extension's current status. */
    status(): Promise<StatusInfo>;
    /** Sets the extension's status by hand (source `user`); resolves with the status now in force. */
    setStatus(status: ExtensionStatus): Promise<StatusInfo>;
    /** Calls `listener` with the current status and every change; returns the function that stops listening. */
    subscribe(listener: (status: StatusInfo) => void, options?: SubscribeOptions): () => void;
  };
  readonly contacts: {
    /** Searches the personal and visible company phonebooks by name, company or number. */
    search(q: string, options?: SearchOptions): Promise<Page<Contact>>;
  };
}

/**
 * Creates a client for one ucbridge server.
 * ```ts
 * const client = createClient({ serverUrl: 'https://pbx.example.com', auth: msalAuth({ clientId, authority, redirectUri }) });
 * await client.signIn();
 * const mapping = await client.presence.getMapping();
 * await client.presence.setMapping({ ...mapping, enabled: true, availability: { ...mapping.availability, Busy: 'do_not_disturb' } });
 * const stop = client.presence.subscribe((s) => console.log(s.status));
 * ```
 */
export function createClient(options: ClientOptions): UcBridgeClient {
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const request = createRequester(serverUrl, fetchImpl);
  const tenant = options.tenant ?? 'default';
  const syncStore = options.storage ?? memorySessionStore();
  let me: Me | undefined;

  const ctx: AuthContext = {
    serverUrl,
    tenant,
    requestNonce: () => request<SignInChallenge>('POST', '/api/v1/sso/nonce', { body: { tenant } }),
    async exchangeIdToken(idToken, nonce) {
      const body = { idToken, tenant, ...(nonce ? { nonce } : {}) };
      const result = await request<SessionTokens & { me: Me }>('POST', '/api/v1/sso/token', { body });
      me = result.me;
      return result;
    },
  };
  const session = createSessionManager({
    request,
    store: options.sessionStore ?? asyncStore(syncStore),
    strategy: options.auth,
    ctx,
    withLock: options.withLock ?? localLock(),
  });

  /** While nobody is signed in: at start, after a sign-in that failed, and after signing out. */
  const prepareSignIn = () => options.auth.prepare?.(ctx);
  if (options.auth.prepare) {
    session.hasSession().then(
      (held) => {
        if (!held) prepareSignIn();
      },
      () => undefined,
    );
  }

  /** A call with the session; after a 401 one retry with a token other than the refused one. */
  async function authed<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const token = await session.accessToken();
    try {
      return await request<T>(method, path, { token, body, signal });
    } catch (error) {
      if (!(error instanceof UcBridgeError) || error.status !== 401) throw error;
      return request<T>(method, path, { token: await session.accessToken(token), body, signal });
    }
  }

  const signedIn = async (tokens: SessionTokens | undefined): Promise<Me | undefined> => {
    if (!tokens) return undefined;
    await session.adopt(tokens);
    return me ?? authed<Me>('GET', '/api/v1/me');
  };

  return {
    async signIn() {
      let tokens: SessionTokens | undefined;
      try {
        tokens = await options.auth.signIn(ctx);
      } catch (cause) {
        prepareSignIn();
        throw signInError(cause);
      }
      return signedIn(tokens);
    },
    async handleRedirect() {
      return signedIn(options.auth.completeSignIn ? await options.auth.completeSignIn(ctx) : undefined);
    },
    async signOut() {
      me = undefined;
      await session.end();
      await options.auth.signOut?.(ctx);
      prepareSignIn();
    },
    isSignedIn: () => (options.sessionStore ? session.lastSeen() : syncStore.get() !== undefined),
    hasSession: () => session.hasSession(),
    async signInParameters() {
      const { clientId, authority } = await ctx.requestNonce();
      return { clientId, authority };
    },
    me: () => authed<Me>('GET', '/api/v1/me'),
    presence: {
      getMapping: () => authed<PresenceMapping>('GET', '/api/v1/me/presence-mapping'),
      setMapping: (mapping) => authed<PresenceMapping>('PUT', '/api/v1/me/presence-mapping', mapping),
      status: () => authed<StatusInfo>('GET', '/api/v1/me/status'),
      setStatus: (status) => authed<StatusInfo>('PUT', '/api/v1/me/status', { status }),
      subscribe: (listener, subscribeOptions) => followStatus(serverUrl, fetchImpl, session, listener, subscribeOptions),
    },
    contacts: {
      search(q, { limit, cursor, signal } = {}) {
        const query = new URLSearchParams({ q, ...(limit ? { limit: String(limit) } : {}), ...(cursor ? { cursor } : {}) });
        return authed<Page<Contact>>('GET', `/api/v1/me/contacts?${query.toString()}`, undefined, signal);
      },
    },
  };
}
