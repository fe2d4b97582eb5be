import { z } from 'zod';
import type { AsyncSessionStore } from '../../sdk/index.js';
import { browser } from '../platform/browser.js';

/**
 * The PBX session (access + refresh token) of the signed-in user, as the SDK's shared session
 * store. Kept only in `storage.session`: in memory, shared by the pages and the background
 * worker, gone when the browser quits, and never written to disk (`storage.local`) or to page
 * storage (localStorage). Chrome lets only extension pages and workers read it (TRUSTED_CONTEXTS,
 * the default).
 */
const KEY = 'pbxSession';

const storedSession = z.object({
  /** The server the tokens belong to; a session for another server is ignored. */
  serverUrl: z.string(),
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Epoch ms. */
  accessExpiresAt: z.number(),
  refreshExpiresAt: z.number(),
});

/** The session store of one server for `createClient({ sessionStore })`. */
export function extensionSessionStore(serverUrl: string): AsyncSessionStore {
  return {
    async get() {
      const stored = await browser.storage.session.get(KEY);
      const parsed = storedSession.safeParse(stored[KEY]);
      if (!parsed.success || parsed.data.serverUrl !== serverUrl) return undefined;
      const { serverUrl: _server, ...session } = parsed.data;
      return session;
    },
    set: (session) => (session ? browser.storage.session.set({ [KEY]: { serverUrl, ...session } }) : browser.storage.session.remove(KEY)),
  };
}

/** Calls back with whether a session exists whenever one is stored or removed. */
export function watchSession(listener: (signedIn: boolean) => void): () => void {
  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'session' && KEY in changes) listener(changes[KEY]?.newValue !== undefined);
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}
