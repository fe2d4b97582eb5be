import { createHash } from 'node:crypto';
import type { Router } from '../http/router.js';
import type { AppRegistration } from '../state/apps.js';
import { collection, type GraphCtx } from './context.js';
import { badRequest } from './errors.js';
import { evaluate, filterPaths, parseFilter } from './odata/filter.js';
import { keysOf, parseSelect, project } from './odata/select.js';
import { requirePermission, type Permission } from './permissions.js';

/**
 * GET /v1.0/applications — app registrations with their password credentials (hint and validity
 * only: Graph never returns `secretText` after creation). https://learn.microsoft.com/graph/api/application-list
 * Application permissions: Application.Read.All (least privileged), Application.ReadWrite.OwnedBy,
 * Application.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All.
 */
const APPLICATION_READ: Permission = {
  app: ['Application.Read.All', 'Application.ReadWrite.All', 'Application.ReadWrite.OwnedBy', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  delegated: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  denyCode: 'Authorization_RequestDenied',
};

/** The application object's id: stable per app, distinct from its appId and service principal id. */
const objectId = (app: AppRegistration): string => {
  const h = createHash('sha1').update(`application:${app.clientId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

function applicationData(app: AppRegistration): Record<string, unknown> {
  return {
    id: objectId(app),
    appId: app.clientId,
    displayName: app.displayName,
    signInAudience: 'AzureADMyOrg',
    passwordCredentials: app.secrets.map((s) => ({
      customKeyIdentifier: null,
      displayName: null,
      endDateTime: new Date(s.endDateTime).toISOString(),
      hint: s.hint,
      keyId: s.keyId,
      secretText: null,
      startDateTime: new Date(s.startDateTime).toISOString(),
    })),
  };
}

const PROPS = keysOf(applicationData({ clientId: '', displayName: '', servicePrincipalId: '', secrets: [], requestedRoles: [], grantedRoles: [], delegatedConsent: [], userConsent: new Map(), redirectUris: [] }));
const DEFAULTS = [...PROPS];
/** Properties Graph lets you filter applications on (the subset we emulate). */
const FILTERABLE = new Set(['appId', 'displayName', 'id']);

export function registerApplications(r: Router<GraphCtx>): void {
  r.get('/v1.0/applications', (ctx) => {
    requirePermission(ctx.auth, APPLICATION_READ);
    const q = ctx.req.query;
    const select = parseSelect(q.get('$select'), PROPS, 'application') ?? DEFAULTS;
    const rawFilter = q.get('$filter');
    const filter = rawFilter ? parseFilter(rawFilter) : undefined;
    for (const path of filter ? filterPaths(filter) : []) {
      if (!FILTERABLE.has(path)) badRequest(`Unsupported or invalid query filter clause specified for property '${path}' of resource 'Application'.`, 'Request_UnsupportedQuery');
    }
    const apps = [...ctx.svc.state.apps.values()].map(applicationData).filter((a) => !filter || evaluate(filter, a));
    return collection(ctx, 'applications', apps.map((a) => project(a, select)));
  });
}
