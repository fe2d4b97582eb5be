import type { Router } from '../http/router.js';
import { empty, json, type EmuRequest, type EmuResponse } from '../http/types.js';
import type { Services } from '../services.js';
import type { EmulatorControl } from './mutations.js';
import { ControlError } from './ops.js';
import type { RedirectType } from '../state/apps.js';
import type { GroupData, UserData } from '../state/types.js';

export interface ControlCtx {
  req: EmuRequest;
  svc: Services;
  ops: EmulatorControl;
  body: Record<string, unknown>;
}

type R = Router<ControlCtx>;
const ok = (body: unknown = { ok: true }): EmuResponse => json(200, body);
const num = (v: unknown, def: number): number => (typeof v === 'number' ? v : def);
const str = (v: unknown, name: string): string => {
  if (typeof v !== 'string' || v === '') throw new ControlError(400, `${name} is required`);
  return v;
};
const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const p = (params: Record<string, string>, name: string): string => params[name] ?? '';

function tenantRoutes(r: R, info: () => Record<string, unknown>): void {
  r.get('/_emulator', () => ok(info()));
  r.post('/_emulator/seed', ({ ops, body }) => ok(ops.seed(body)));
  r.post('/_emulator/reset', ({ ops }) => (ops.resetAll(), ok()));
  r.post('/_emulator/clock/advance', ({ ops, body }) => (ops.advanceClock(num(body.ms, 0)), ok()));
  r.get('/_emulator/faults', ({ svc }) => ok({ faults: svc.faults.current, injected: svc.faults.injected }));
  r.post('/_emulator/faults', ({ ops, body }) => (ops.setFaults(body), ok()));
  r.delete('/_emulator/faults', ({ ops }) => (ops.clearFaults(), ok()));
  r.post('/_emulator/delta/expire', ({ ops, body }) => (ops.expireDeltaTokens({ ...(body.status === 410 || body.status === 400 ? { status: body.status } : {}) }), ok()));
  r.post('/_emulator/keys/rotate', ({ ops, body }) => ok(ops.rotateKeys(body.retireOld === true)));
  r.post('/_emulator/tokens/expire', ({ ops }) => (ops.expireTokens(), ok()));
  r.get('/_emulator/requests', ({ ops, req }) => {
    const q = req.query;
    const since = q.get('since');
    return ok({ requests: ops.requests({ ...(q.get('path') ? { path: q.get('path') ?? '' } : {}), ...(q.get('method') ? { method: q.get('method') ?? '' } : {}), ...(since ? { since: Number(since) } : {}) }) });
  });
  r.delete('/_emulator/requests', ({ ops }) => (ops.clearRequests(), ok()));
}

function appRoutes(r: R): void {
  r.get('/_emulator/apps', ({ svc }) =>
    ok({
      apps: [...svc.state.apps.values()].map((a) => ({
        clientId: a.clientId, displayName: a.displayName, grantedRoles: a.grantedRoles, requestedRoles: a.requestedRoles,
        delegatedConsent: a.delegatedConsent, redirectUris: a.redirectUris,
        secrets: a.secrets.map((s) => ({ keyId: s.keyId, hint: s.hint, endDateTime: new Date(s.endDateTime).toISOString(), revoked: s.revoked })),
      })),
    }),
  );
  r.post('/_emulator/apps/:clientId/secrets', ({ ops, body }, params) => ok(ops.addSecret(p(params, 'clientId'), num(body.lifetimeDays, 180))));
  r.post('/_emulator/apps/:clientId/secrets/expire', ({ ops, body }, params) => (ops.expireSecret(p(params, 'clientId'), optStr(body.keyId)), ok()));
  r.post('/_emulator/apps/:clientId/secrets/revoke', ({ ops, body }, params) => (ops.revokeSecret(p(params, 'clientId'), optStr(body.keyId)), ok()));
  r.put('/_emulator/apps/:clientId/permissions', ({ ops, body }, params) => {
    if (!Array.isArray(body.roles)) throw new ControlError(400, 'roles must be an array');
    ops.setPermissions(body.roles.map(String), p(params, 'clientId'));
    return ok();
  });
  r.put('/_emulator/apps/:clientId/delegated-consent', ({ ops, body }, params) => {
    if (!Array.isArray(body.scopes)) throw new ControlError(400, 'scopes must be an array');
    ops.setDelegatedConsent(body.scopes.map(String), p(params, 'clientId'));
    return ok();
  });
  r.post('/_emulator/apps/:clientId/redirect-uris', ({ ops, body }, params) => {
    const type: RedirectType = body.type === 'spa' ? 'spa' : 'web';
    ops.addRedirectUri(str(body.uri, 'uri'), type, p(params, 'clientId'));
    return ok();
  });
}

function directoryRoutes(r: R): void {
  r.get('/_emulator/users', ({ ops, req }) => {
    const shared = req.query.get('shared');
    return ok({ users: ops.listUsers({ ...(shared === null ? {} : { shared: shared === 'true' }), limit: Number(req.query.get('limit') ?? 100), offset: Number(req.query.get('offset') ?? 0) }) });
  });
  r.post('/_emulator/users', ({ ops, body }) => ok(ops.createUser({ ...(body as Partial<UserData>), displayName: str(body.displayName, 'displayName') }, (body.mailbox ?? {}))));
  r.patch('/_emulator/users/:id', ({ ops, body }, params) => ok({ changed: ops.updateUser(p(params, 'id'), body) }));
  r.delete('/_emulator/users/:id', ({ ops, req }, params) => (ops.deleteUser(p(params, 'id'), req.query.get('permanent') === 'true'), ok()));
  r.post('/_emulator/users/:id/restore', ({ ops }, params) => ok(ops.restoreUser(p(params, 'id'))));
  r.patch('/_emulator/users/:id/mailbox', ({ ops, body }, params) => ok(ops.setMailbox(p(params, 'id'), body)));
  r.put('/_emulator/users/:id/photo', ({ ops, body }, params) => (ops.setPhoto(p(params, 'id'), body.hasPhoto !== false), ok()));
  r.post('/_emulator/users/:id/revoke-sessions', ({ ops }, params) => ok({ revoked: ops.revokeUserSessions(ops.user(p(params, 'id')).data.id) }));
  r.post('/_emulator/groups', ({ ops, body }) => ok(ops.createGroup({ ...(body as Partial<GroupData>), displayName: str(body.displayName, 'displayName') }, Array.isArray(body.members) ? body.members.map(String) : [])));
  r.patch('/_emulator/groups/:id', ({ ops, body }, params) => ok({ changed: ops.updateGroup(p(params, 'id'), body) }));
  r.delete('/_emulator/groups/:id', ({ ops, req }, params) => (ops.deleteGroup(p(params, 'id'), req.query.get('permanent') === 'true'), ok()));
  r.post('/_emulator/groups/:id/members', ({ ops, body }, params) => ok({ added: ops.addMember(p(params, 'id'), str(body.id, 'id')) }));
  r.delete('/_emulator/groups/:id/members/:member', ({ ops }, params) => ok({ removed: ops.removeMember(p(params, 'id'), p(params, 'member')) }));
}

function mailboxRoutes(r: R): void {
  r.get('/_emulator/users/:id/contacts', ({ ops }, params) => ok({ contacts: ops.listContacts(p(params, 'id')) }));
  r.post('/_emulator/users/:id/contacts', ({ ops, body }, params) => ok(ops.createContact(p(params, 'id'), body, optStr(body.folderId))));
  r.patch('/_emulator/users/:id/contacts/:contact', ({ ops, body }, params) => ok(ops.updateContact(p(params, 'id'), p(params, 'contact'), body)));
  r.delete('/_emulator/users/:id/contacts/:contact', ({ ops }, params) => (ops.deleteContact(p(params, 'id'), p(params, 'contact')), ok()));
  r.post('/_emulator/presence', ({ ops, body }) => {
    const state = { availability: str(body.availability, 'availability'), activity: str(body.activity, 'activity') };
    return ok(ops.setPresence(str(body.userId, 'userId'), state, { preferred: body.preferred === true, durationMs: num(body.durationMs, 7 * 86_400_000) }));
  });
  r.post('/_emulator/presence/ticker', ({ ops, body }) => (ops.startPresenceTicker(num(body.intervalMs, 5000), num(body.fraction, 0.02)), ok()));
  r.delete('/_emulator/presence/ticker', ({ ops }) => (ops.stopPresenceTicker(), ok()));
}

function subscriptionRoutes(r: R): void {
  r.get('/_emulator/subscriptions', ({ svc }) => ok({ subscriptions: svc.subscriptions.list() }));
  r.post('/_emulator/subscriptions/:id/lifecycle', async ({ svc, body }, params) => {
    const event = str(body.event, 'event');
    if (!['reauthorizationRequired', 'subscriptionRemoved', 'missed'].includes(event)) throw new ControlError(400, 'event must be reauthorizationRequired, subscriptionRemoved or missed');
    const sent = await svc.subscriptions.lifecycle(p(params, 'id'), event as 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed');
    return ok({ delivered: sent });
  });
  r.get('/_emulator/notifications', ({ svc }) => ok({ deliveries: svc.subscriptions.deliveries }));
  r.delete('/_emulator/notifications', ({ svc }) => ((svc.subscriptions.deliveries.length = 0), empty(204)));
}

export function registerControlRoutes(r: R, info: () => Record<string, unknown>): void {
  tenantRoutes(r, info);
  appRoutes(r);
  directoryRoutes(r);
  mailboxRoutes(r);
  subscriptionRoutes(r);
}
