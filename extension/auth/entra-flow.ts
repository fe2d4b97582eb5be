import { UcBridgeError } from '../../sdk/index.js';
import { codeChallenge, randomToken } from './pkce.js';

/**
 * The Microsoft leg of the extension's sign-in: an authorization-code flow with PKCE for a
 * public (SPA) client, through the browser's web-auth window. Entra accepts the code
 * redemption from the extension because the redirect URI (`identity.getRedirectURL()`) is
 * registered as an SPA redirect URI, which allows cross-origin redemption without a secret.
 * Only `openid profile email` is asked for: the ID token is all the server needs.
 */
export interface EntraClient {
  /** e.g. `https://login.microsoftonline.com` (national clouds differ). */
  authorityHost: string;
  /** The Entra tenant (directory) id. */
  entraTenantId: string;
  /** The integration's application (client) id. */
  clientId: string;
}

export interface FlowDeps {
  /** Opens the auth window and resolves with the final redirect URL (`identity.launchWebAuthFlow`). */
  launch(url: string, interactive: boolean): Promise<string>;
  redirectUri: string;
  fetch: typeof fetch;
}

/**
 * Why the Microsoft leg failed; `code` is a key the UI translates (`error.<code>`). An SDK
 * error, so the client's `signIn()` passes it on with its code (and redacted like any other).
 */
export class SignInError extends UcBridgeError {
  readonly reason: string;

  constructor(code: 'sign_in_cancelled' | 'sign_in_failed' | 'sign_in_state' | 'sign_in_not_configured', reason = '') {
    super(code, reason || code);
    this.reason = reason ? this.message : '';
  }
}

const endpoint = (client: EntraClient, path: 'authorize' | 'token'): string =>
  `${client.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(client.entraTenantId)}/oauth2/v2.0/${path}`;

export interface AuthorizeRequest {
  url: string;
  state: string;
  verifier: string;
}

export async function authorizeRequest(
  client: EntraClient,
  redirectUri: string,
  options: { nonce: string; loginHint?: string; prompt?: 'select_account' | 'none' },
): Promise<AuthorizeRequest> {
  const state = randomToken();
  const verifier = randomToken();
  const url = new URL(endpoint(client, 'authorize'));
  const query: Record<string, string> = {
    client_id: client.clientId,
    response_type: 'code',
    response_mode: 'query',
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    state,
    nonce: options.nonce,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: 'S256',
  };
  if (options.loginHint) query.login_hint = options.loginHint;
  if (options.prompt) query.prompt = options.prompt;
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return { url: url.toString(), state, verifier };
}

/** The code from the final redirect, after checking it answers our request. */
export function codeFromRedirect(redirectUrl: string, expectedState: string): string {
  const url = new URL(redirectUrl);
  const params = url.searchParams.has('state') ? url.searchParams : new URLSearchParams(url.hash.slice(1));
  const error = params.get('error');
  if (error) {
    if (error === 'access_denied') throw new SignInError('sign_in_cancelled', params.get('error_description') ?? error);
    throw new SignInError('sign_in_failed', params.get('error_description') ?? error);
  }
  if (params.get('state') !== expectedState) throw new SignInError('sign_in_state');
  const code = params.get('code');
  if (!code) throw new SignInError('sign_in_failed', 'no authorization code in the answer');
  return code;
}

async function redeem(client: EntraClient, deps: FlowDeps, code: string, verifier: string): Promise<string> {
  const body = new URLSearchParams({
    client_id: client.clientId,
    grant_type: 'authorization_code',
    code,
    redirect_uri: deps.redirectUri,
    code_verifier: verifier,
    scope: 'openid profile email',
  });
  let response: Response;
  try {
    response = await deps.fetch(endpoint(client, 'token'), { method: 'POST', body });
  } catch (cause) {
    throw new SignInError('sign_in_failed', cause instanceof Error ? cause.message : String(cause));
  }
  const json = (await response.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown; error_description?: unknown };
  if (response.ok && typeof json.id_token === 'string') return json.id_token;
  const reason = typeof json.error_description === 'string' ? json.error_description : `HTTP ${response.status}`;
  throw new SignInError('sign_in_failed', reason.split('\n')[0] ?? reason);
}

/**
 * Signs the user in with Microsoft and returns an ID token that carries `nonce`.
 * `interactive: false` only succeeds when Microsoft needs nothing from the user (SSO cookie).
 */
export async function signInWithEntra(
  client: EntraClient,
  deps: FlowDeps,
  options: { nonce: string; loginHint?: string; interactive: boolean },
): Promise<string> {
  const request = await authorizeRequest(client, deps.redirectUri, {
    nonce: options.nonce,
    ...(options.loginHint ? { loginHint: options.loginHint } : {}),
    ...(options.interactive ? {} : { prompt: 'none' as const }),
  });
  let redirect: string;
  try {
    redirect = await deps.launch(request.url, options.interactive);
  } catch (cause) {
    // The browser rejects when the user closes the window or interaction would be needed.
    throw new SignInError('sign_in_cancelled', cause instanceof Error ? cause.message : String(cause));
  }
  const code = codeFromRedirect(redirect, request.state);
  return redeem(client, deps, code, request.verifier);
}
