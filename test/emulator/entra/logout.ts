import type { Router } from '../http/router.js';
import { html, redirect, type EmuResponse } from '../http/types.js';
import { cookie, SESSION_COOKIE, type EntraCtx } from './context.js';
import { signedOut } from './pages.js';

/** end_session_endpoint: drops the SSO cookie; redirects only to a registered post-logout URI. */
function logout(ctx: EntraCtx): EmuResponse {
  ctx.svc.sessions.endBrowserSession(cookie(ctx, SESSION_COOKIE));
  const clear = { 'set-cookie': `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0` };
  const target = ctx.req.query.get('post_logout_redirect_uri');
  const registered = target && [...ctx.svc.state.apps.values()].some((a) => a.redirectUris.some((r) => r.uri === target || new URL(r.uri).origin === safeOrigin(target)));
  if (target && registered) {
    const state = ctx.req.query.get('state');
    return redirect(state ? `${target}${target.includes('?') ? '&' : '?'}state=${encodeURIComponent(state)}` : target, clear);
  }
  const res = html(200, signedOut());
  Object.assign(res.headers, clear);
  return res;
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function registerLogout(r: Router<EntraCtx>): void {
  r.get('/:tenant/oauth2/v2.0/logout', logout);
  r.post('/:tenant/oauth2/v2.0/logout', logout);
}
