import { setTimeout as sleep } from 'node:timers/promises';
import { AuthError, ConfidentialClientApplication, LogLevel, type INetworkModule, type NetworkResponse } from '@azure/msal-node';
import { TOKEN_ENDPOINT_UNAVAILABLE, tokenError } from './errors.js';
import { backoffMs, isTransientNetworkError, retryAfterMs, type RetryPolicy } from './policy.js';
import type { Transport } from './transport.js';

/** What identifies an app registration in a tenant (and how to reach its cloud). */
export interface GraphCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** e.g. https://login.microsoftonline.com, https://login.microsoftonline.us */
  authorityHost: string;
  /** e.g. https://graph.microsoft.com, https://graph.microsoft.us */
  graphEndpoint: string;
}

export interface AppToken {
  accessToken: string;
  expiresOn: Date | null;
  /** Application permissions granted to the app (the token's `roles` claim). */
  roles: string[];
}

export interface TokenSource {
  get(options?: { refresh?: boolean }): Promise<AppToken>;
}

type SendOptions = { headers?: Record<string, string>; body?: string };

/** One HTTP exchange with Entra, answered in MSAL's shape. */
async function exchange<T>(transport: Transport, method: string, url: string, options?: SendOptions): Promise<NetworkResponse<T>> {
  const response = await transport.fetch(url, {
    method,
    ...(options?.headers ? { headers: options.headers } : {}),
    ...(options?.body === undefined ? {} : { body: options.body }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { error: 'invalid_response', error_description: `HTTP ${response.status} without JSON` };
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  return { headers, body: body as T, status: response.status };
}

/** Entra throttling (429, with Retry-After for client credentials) and server errors: worth another try. */
const transientStatus = (status: number) => status === 429 || status >= 500;

/**
 * An exchange with Graph's retry policy: network resets, 429 and 5xx are tried again after
 * Retry-After or a jittered backoff. MSAL never sees such an answer: it would remember it as a
 * throttle and fail the next requests unsent, as if the credentials were wrong. What still fails at
 * the end is an AuthError (MSAL passes those on unchanged), for tokenError to name.
 */
async function withRetries<T>(retry: RetryPolicy, send: () => Promise<NetworkResponse<T>>): Promise<NetworkResponse<T>> {
  for (let n = 0; ; n++) {
    const last = n >= retry.maxAttempts - 1;
    let response: NetworkResponse<T>;
    try {
      response = await send();
    } catch (error) {
      if (!isTransientNetworkError(error)) throw error;
      if (last) throw new AuthError(TOKEN_ENDPOINT_UNAVAILABLE, '', `no answer after ${retry.maxAttempts} attempts`);
      await sleep(backoffMs(retry, n, undefined));
      continue;
    }
    if (!transientStatus(response.status)) return response;
    if (last) throw new AuthError(TOKEN_ENDPOINT_UNAVAILABLE, '', `HTTP ${response.status} after ${retry.maxAttempts} attempts`);
    await sleep(backoffMs(retry, n, retryAfterMs(response.headers['retry-after'])));
  }
}

/** msal-node's HTTP client, over our fetch (which trusts GRAPH_CA_FILE: msal would not). */
function networkClient(transport: Transport, retry: RetryPolicy): INetworkModule {
  const send = <T>(method: string, url: string, options?: SendOptions) => withRetries(retry, () => exchange<T>(transport, method, url, options));
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** The OIDC metadata of the authority, so MSAL goes straight to the token endpoint (no discovery round trip). */
function authorityMetadata(host: string, tenantId: string): string {
  const base = `${host}/${tenantId}`;
  return JSON.stringify({
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    issuer: `${base}/v2.0`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
  });
}

/** Reads `roles` from the access token's payload; the token came from Entra over TLS, we only read it. */
export function rolesOf(accessToken: string): string[] {
  const payload = accessToken.split('.')[1];
  if (!payload) return [];
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/** Microsoft Graph's application id: the same resource in every cloud. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const MICROSOFT_GRAPH_HOSTS = /^(graph\.microsoft\.com|graph\.microsoft\.us|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn)$/i;

/**
 * The resource that scopes are prefixed with: the cloud's Graph resource URI for Microsoft's own
 * endpoints (graph.microsoft.us, the China cloud…), else Graph's application id (for a Graph
 * endpoint behind a proxy or an emulator, whose URL is not the resource).
 * https://learn.microsoft.com/graph/deployments#app-registration-and-token-service-root-endpoints
 */
export function graphResource(graphEndpoint: string): string {
  const url = new URL(graphEndpoint);
  return MICROSOFT_GRAPH_HOSTS.test(url.hostname) ? url.origin : GRAPH_APP_ID;
}

/** The `.default` scope of app-only tokens (every application permission granted to the app). */
export const graphScope = (graphEndpoint: string): string => `${graphResource(graphEndpoint)}/.default`;

/**
 * App-only tokens for Graph through msal-node's client-credentials flow; MSAL caches a token in
 * memory until shortly before it expires. The token endpoint is retried like Graph (`retry`).
 */
export function createTokenSource(credentials: GraphCredentials, transport: Transport, retry: RetryPolicy): TokenSource {
  const host = credentials.authorityHost.replace(/\/+$/, '');
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      authority: `${host}/${credentials.tenantId}`,
      knownAuthorities: [new URL(host).host],
      authorityMetadata: authorityMetadata(host, credentials.tenantId),
    },
    system: {
      networkClient: networkClient(transport, retry),
      disableInternalRetries: true,
      loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => undefined },
    },
  });
  const scopes = [graphScope(credentials.graphEndpoint)];
  return {
    async get(options = {}) {
      try {
        const result = await msal.acquireTokenByClientCredential({ scopes, skipCache: options.refresh === true });
        if (!result?.accessToken) throw new Error('no access token');
        return { accessToken: result.accessToken, expiresOn: result.expiresOn, roles: rolesOf(result.accessToken) };
      } catch (error) {
        throw tokenError(error);
      }
    },
  };
}
