import type { Router } from '../http/router.js';
import { json, type EmuResponse } from '../http/types.js';
import type { EntraCtx } from './context.js';
import { tokenError } from './errors.js';

/** What login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration returns, with our host. */
export function openIdConfiguration(base: string, tenantSegment: string, tenantId: string): Record<string, unknown> {
  const known = ['common', 'organizations', 'consumers'].includes(tenantSegment.toLowerCase());
  const t = tenantSegment;
  return {
    token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    // Multi-tenant authorities carry the {tenantid} placeholder, exactly like Entra.
    issuer: `${base}/${known ? '{tenantid}' : tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/${t}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(base).host,
    rbac_url: 'https://pas.windows.net',
  };
}

/** Instance discovery (MSAL calls it unless the authority is in knownAuthorities). */
function instanceDiscovery(ctx: EntraCtx): EmuResponse {
  const host = new URL(ctx.base).host;
  const authz = ctx.req.query.get('authorization_endpoint') ?? `${ctx.base}/common/oauth2/v2.0/authorize`;
  const tenant = /^https?:\/\/[^/]+\/([^/]+)\//.exec(authz)?.[1] ?? 'common';
  return json(200, {
    tenant_discovery_endpoint: `${ctx.base}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

export function registerDiscovery(r: Router<EntraCtx>): void {
  const config = (ctx: EntraCtx): EmuResponse => {
    if (!ctx.svc.state.isKnownTenant(ctx.tenant)) return tokenError('tenantNotFound', { tenant: ctx.tenant });
    return json(200, openIdConfiguration(ctx.base, ctx.tenant, ctx.svc.state.tenant.tenantId));
  };
  const keys = (ctx: EntraCtx): EmuResponse => {
    if (!ctx.svc.state.isKnownTenant(ctx.tenant)) return tokenError('tenantNotFound', { tenant: ctx.tenant });
    return json(200, ctx.svc.keys.jwks(`${ctx.base}/${ctx.svc.state.tenant.tenantId}/v2.0`));
  };
  r.get('/:tenant/v2.0/.well-known/openid-configuration', config);
  r.get('/:tenant/.well-known/openid-configuration', config);
  r.get('/:tenant/discovery/v2.0/keys', keys);
  r.get('/:tenant/discovery/keys', keys);
  r.get('/:tenant/discovery/instance', instanceDiscovery);
}
