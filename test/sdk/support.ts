import { createClient, type AuthStrategy, type ClientOptions, type UcBridgeClient } from '../../sdk/index.js';
import type { SsoEnv } from '../server/sso/support.js';

/** An auth strategy that signs in with an ID token the emulator's key signed (no browser needed). */
export const idTokenAuth = (env: SsoEnv): AuthStrategy => ({
  signIn: async (ctx) => ctx.exchangeIdToken(await env.idToken()),
});

/** The URL a fetch was called with. */
export const urlOf = (input: Parameters<typeof fetch>[0]): string => (input instanceof Request ? input.url : input instanceof URL ? input.href : input);

/** A fetch that counts the calls to each path of the server. */
export function countingFetch(): { fetch: typeof fetch; calls: (path: string) => number } {
  const counts = new Map<string, number>();
  return {
    fetch: (input, init) => {
      const path = new URL(urlOf(input)).pathname;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      return fetch(input, init);
    },
    calls: (path) => counts.get(path) ?? 0,
  };
}

/** A signed-in SDK client of the test server. */
export async function signedInClient(env: SsoEnv, options: Partial<ClientOptions> = {}): Promise<UcBridgeClient> {
  const client = createClient({ serverUrl: env.server.url, auth: idTokenAuth(env), ...options });
  await client.signIn();
  return client;
}
