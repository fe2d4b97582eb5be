import type { Router } from '../http/router.js';
import { html, readForm, type EmuResponse } from '../http/types.js';
import { findRedirect, type AppRegistration } from '../state/apps.js';
import type { UserRecord } from '../state/types.js';
import { cookie, SESSION_COOKIE, type EntraCtx } from './context.js';
import { aadError, type AadErrorKey } from './errors.js';
import type { Flow } from './flows.js';
import { accountPicker, consentPage, errorPage } from './pages.js';
import { errorToClient, respondToClient } from './respond.js';
import { graphScopes } from './tokens.js';

const page = (key: AadErrorKey, vars: Record<string, string>): EmuResponse => html(400, errorPage(aadError(key, vars).description));

/** Validates what must be right before we may redirect anywhere: tenant, app, redirect URI. */
function validateClient(ctx: EntraCtx, clientId: string, redirectUri: string): { app: AppRegistration } | EmuResponse {
  const { state } = ctx.svc;
  if (!state.isKnownTenant(ctx.tenant)) return page('tenantNotFound', { tenant: ctx.tenant });
  const app = state.apps.get(clientId);
  if (!app) return page('appNotFound', { app: clientId, tenant: state.tenant.tenantId });
  if (!findRedirect(app, redirectUri)) return page('redirectMismatch', { uri: redirectUri, app: clientId });
  return { app };
}

function parseFlow(ctx: EntraCtx, kind: Flow['kind']): Flow {
  const q = ctx.req.query;
  const mode = q.get('response_mode');
  return {
    kind,
    tenant: ctx.tenant,
    clientId: q.get('client_id') ?? '',
    redirectUri: q.get('redirect_uri') ?? '',
    responseMode: mode === 'fragment' || mode === 'form_post' ? mode : 'query',
    state: q.get('state') ?? undefined,
    nonce: q.get('nonce') ?? undefined,
    scopes: (q.get('scope') ?? '').split(/\s+/).filter(Boolean),
    codeChallenge: q.get('code_challenge') ?? undefined,
    challengeMethod: q.get('code_challenge_method') ?? undefined,
    loginHint: q.get('login_hint') ?? undefined,
    prompt: q.get('prompt') ?? undefined,
    clientInfo: q.get('client_info') === '1',
    createdAt: Date.now(),
  };
}

/** Picks the user: login_hint (automation), then the SSO cookie, else undefined (show the picker). */
function preselect(ctx: EntraCtx, flow: Flow): UserRecord | undefined {
  const dir = ctx.svc.state.directory;
  if (flow.prompt === 'select_account' || flow.prompt === 'login') return flow.loginHint && flow.prompt === 'login' ? dir.findUser(flow.loginHint) : undefined;
  if (flow.loginHint) return dir.findUser(flow.loginHint);
  const sessionUser = ctx.svc.sessions.browserUser(cookie(ctx, SESSION_COOKIE));
  return sessionUser ? dir.findUser(sessionUser) : undefined;
}

function showPicker(ctx: EntraCtx, flowId: string, flow: Flow): EmuResponse {
  const accounts = ctx.svc.state.directory.users
    .filter((u) => u.data.accountEnabled && u.data.userType === 'Member')
    .slice(0, 12)
    .map((u) => ({ upn: u.data.userPrincipalName, name: u.data.displayName ?? u.data.userPrincipalName }));
  return html(200, accountPicker(`${ctx.base}/${ctx.tenant}/login`, flowId, accounts, flow.loginHint));
}

function missingConsent(app: AppRegistration, userId: string, scopes: string[]): string[] {
  const granted = new Set([...app.delegatedConsent, ...(app.userConsent.get(userId) ?? [])].map((s) => s.toLowerCase()));
  return graphScopes(scopes).filter((s) => !granted.has(s.toLowerCase()));
}

/** After the user is known: account checks, consent, then the code. */
export function continueFlow(ctx: EntraCtx, flowId: string, flow: Flow, user: UserRecord): EmuResponse {
  const app = ctx.svc.state.apps.get(flow.clientId);
  if (!app) return page('appNotFound', { app: flow.clientId, tenant: ctx.svc.state.tenant.tenantId });
  if (!user.data.accountEnabled) return html(400, errorPage(aadError('userDisabled').description));
  flow.userId = user.data.id;
  const sessionCookie = ctx.svc.sessions.startBrowserSession(user.data.id);
  const setCookie = { 'set-cookie': `${SESSION_COOKIE}=${sessionCookie}; Path=/; Secure; HttpOnly; SameSite=None` };
  if (flow.kind === 'adminconsent' || flow.prompt === 'consent' || missingConsent(app, user.data.id, flow.scopes).length > 0) {
    if (flow.prompt === 'none') return errorToClient(flow, 'consent_required', aadError('consentRequired', { app: app.clientId, name: app.displayName }).description);
    const scopes = flow.kind === 'adminconsent' ? app.requestedRoles : graphScopes(flow.scopes);
    const res = html(200, consentPage(`${ctx.base}/${ctx.tenant}/consent`, flowId, app.displayName, user.data.userPrincipalName, scopes, flow.kind === 'adminconsent'));
    Object.assign(res.headers, setCookie);
    return res;
  }
  return issueCode(ctx, flowId, flow, user, setCookie);
}

export function issueCode(ctx: EntraCtx, flowId: string, flow: Flow, user: UserRecord, headers: Record<string, string> = {}): EmuResponse {
  ctx.svc.flows.delete(flowId);
  const code = ctx.svc.sessions.issueCode({
    clientId: flow.clientId,
    userId: user.data.id,
    redirectUri: flow.redirectUri,
    scopes: flow.scopes,
    nonce: flow.nonce,
    codeChallenge: flow.codeChallenge,
    challengeMethod: flow.challengeMethod,
    authTime: Date.now(),
  });
  const params: Record<string, string> = { code };
  if (flow.clientInfo) params.client_info = ctx.svc.tokens.clientInfo(user);
  params.session_state = crypto.randomUUID();
  return respondToClient(flow, params, headers);
}

function authorize(ctx: EntraCtx): EmuResponse {
  const flow = parseFlow(ctx, 'authorize');
  const valid = validateClient(ctx, flow.clientId, flow.redirectUri);
  if (!('app' in valid)) return valid;
  const redirect = findRedirect(valid.app, flow.redirectUri);
  const responseType = ctx.req.query.get('response_type') ?? '';
  if (!responseType.split(' ').includes('code')) {
    return errorToClient(flow, 'unsupported_response_type', 'AADSTS700054: response_type \'code\' is required by this emulator.');
  }
  if (flow.challengeMethod && flow.challengeMethod !== 'S256' && flow.challengeMethod !== 'plain') {
    return errorToClient(flow, 'invalid_request', 'AADSTS50148: The code_challenge_method is not supported.');
  }
  if (redirect?.type === 'spa' && !flow.codeChallenge) {
    return errorToClient(flow, 'invalid_request', 'AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.');
  }
  const flowId = ctx.svc.flows.add(flow);
  const user = preselect(ctx, flow);
  if (!user) {
    if (flow.prompt === 'none') return errorToClient(flow, 'login_required', aadError('loginRequired').description);
    if (flow.loginHint && flow.prompt !== 'select_account' && flow.prompt !== 'login') {
      return html(400, errorPage(aadError('userNotFound', { user: flow.loginHint, tenant: ctx.svc.state.tenant.domain }).description));
    }
    return showPicker(ctx, flowId, flow);
  }
  return continueFlow(ctx, flowId, flow, user);
}

function login(ctx: EntraCtx): EmuResponse {
  const form = readForm(ctx.req);
  const flowId = form.get('flow') ?? '';
  const flow = ctx.svc.flows.get(flowId);
  if (!flow) return html(400, errorPage('AADSTS90014: The sign-in request expired or is unknown. Start again.'));
  const user = ctx.svc.state.directory.findUser(form.get('username') ?? '');
  if (!user) return html(400, errorPage(aadError('userNotFound', { user: form.get('username') ?? '', tenant: ctx.svc.state.tenant.domain }).description));
  return continueFlow(ctx, flowId, flow, user);
}

function consent(ctx: EntraCtx): EmuResponse {
  const form = readForm(ctx.req);
  const flowId = form.get('flow') ?? '';
  const flow = ctx.svc.flows.get(flowId);
  const user = flow?.userId ? ctx.svc.state.directory.findUser(flow.userId) : undefined;
  const app = flow ? ctx.svc.state.apps.get(flow.clientId) : undefined;
  if (!flow || !user || !app) return html(400, errorPage('AADSTS90014: The consent request expired or is unknown. Start again.'));
  if (form.get('accept') !== 'yes') {
    ctx.svc.flows.delete(flowId);
    return errorToClient(flow, 'access_denied', aadError('userDeclined').description);
  }
  if (flow.kind === 'adminconsent') return finishAdminConsent(ctx, flowId, flow, user, app);
  const set = app.userConsent.get(user.data.id) ?? new Set<string>();
  for (const s of graphScopes(flow.scopes)) set.add(s);
  app.userConsent.set(user.data.id, set);
  return issueCode(ctx, flowId, flow, user);
}

/** Admin consent grants the app's requested application permissions to the organisation. */
function finishAdminConsent(ctx: EntraCtx, flowId: string, flow: Flow, user: UserRecord, app: AppRegistration): EmuResponse {
  ctx.svc.flows.delete(flowId);
  if (!ctx.svc.state.globalAdmins.has(user.data.id)) return errorToClient(flow, 'access_denied', aadError('adminRequired').description);
  app.grantedRoles = [...new Set([...app.grantedRoles, ...app.requestedRoles])];
  const params: Record<string, string> = { admin_consent: 'True', tenant: ctx.svc.state.tenant.tenantId };
  if (flow.scopes.length > 0) params.scope = flow.scopes.join(' ');
  return respondToClient(flow, params);
}

/** GET /{tenant}/adminconsent?client_id&redirect_uri&state (v1) and /{tenant}/v2.0/adminconsent (v2, with scope). */
function adminConsent(ctx: EntraCtx): EmuResponse {
  const flow = parseFlow(ctx, 'adminconsent');
  const valid = validateClient(ctx, flow.clientId, flow.redirectUri);
  if (!('app' in valid)) return valid;
  const flowId = ctx.svc.flows.add(flow);
  const user = preselect(ctx, flow);
  return user ? continueFlow(ctx, flowId, flow, user) : showPicker(ctx, flowId, flow);
}

export function registerAuthorize(r: Router<EntraCtx>): void {
  r.get('/:tenant/oauth2/v2.0/authorize', authorize);
  r.post('/:tenant/login', login);
  r.post('/:tenant/consent', consent);
  r.get('/:tenant/adminconsent', adminConsent);
  r.get('/:tenant/v2.0/adminconsent', adminConsent);
}
