import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { AccessClaims } from '../../entra/tokens.js';
import type { EmulatorSettings } from '../../services.js';
import type { MailboxEvent } from '../../state/mailbox.js';
import type { PresenceChange } from '../../state/presence.js';
import type { EmulatorState } from '../../state/state.js';
import type { DirChange } from '../../state/types.js';
import { badRequest, fail, GraphHttpError } from '../errors.js';
import { requirePermission } from '../permissions.js';
import { Deliverer, type Delivery } from './delivery.js';
import { ALLOWED_CHANGES, checkExpiry, parseResource, permissionFor, type Subscription, type SubscriptionRecord, type Target } from './model.js';

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

interface PendingItem {
  changeType: string;
  resource: string;
  resourceData: Record<string, unknown>;
}

const DIRECTORY_QUOTA = 100;
const isLoopback = (host: string): boolean => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host);

/** /subscriptions: creation with the validation handshake, renewal, and notification fan-out. */
export class SubscriptionManager {
  private readonly subs = new Map<string, SubscriptionRecord>();
  private readonly pending = new Map<string, PendingItem[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly deliverer: Deliverer;

  constructor(
    private readonly state: EmulatorState,
    private readonly settings: EmulatorSettings,
    dispatcher: Dispatcher,
  ) {
    this.deliverer = new Deliverer(dispatcher, settings.validationTimeoutMs);
    state.directory.onChange((c) => this.onDirectory(c));
    state.mailboxes.onChange((e) => this.onMailbox(e));
    state.presence.onChange((p) => this.onPresence(p));
  }

  get deliveries(): Delivery[] {
    return this.deliverer.log;
  }

  private checkUrl(url: unknown, name: string): string {
    if (typeof url !== 'string') return badRequest(`${name} is required.`, 'InvalidRequest');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return badRequest(`Invalid ${name}: '${url}'.`, 'InvalidRequest');
    }
    const httpOk = this.settings.allowHttpNotificationUrls && parsed.protocol === 'http:' && isLoopback(parsed.hostname);
    if (parsed.protocol !== 'https:' && !httpOk) badRequest(`Subscription ${name} must be an HTTPS URL.`, 'InvalidRequest');
    return url;
  }

  async create(auth: AccessClaims, body: Record<string, unknown>): Promise<Subscription> {
    const resource = typeof body.resource === 'string' ? body.resource : badRequest('resource is required.', 'InvalidRequest');
    const target = parseResource(resource, auth);
    requirePermission(auth, permissionFor(target.kind));
    if (target.kind === 'presence' && auth.idtyp === 'app') {
      fail(403, 'Forbidden', 'Operation: Create; Exception: [Status Code: Forbidden; Reason: Application permissions are not supported for presence subscriptions; use delegated permissions.]');
    }
    const changeType = typeof body.changeType === 'string' ? body.changeType : badRequest('changeType is required.', 'InvalidRequest');
    for (const ct of changeType.split(',')) {
      if (!ALLOWED_CHANGES[target.kind].includes(ct.trim())) badRequest(`ChangeType '${ct}' is not supported for resource '${resource}'.`, 'InvalidRequest');
    }
    const clientState = typeof body.clientState === 'string' ? body.clientState : null;
    if (clientState && clientState.length > 128) badRequest('clientState must be at most 128 characters.', 'InvalidRequest');
    const expiresAt = checkExpiry(target.kind, body.expirationDateTime, this.state.clock.now());
    const notificationUrl = this.checkUrl(body.notificationUrl, 'notificationUrl');
    const lifecycleNotificationUrl = body.lifecycleNotificationUrl === undefined || body.lifecycleNotificationUrl === null ? null : this.checkUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    this.checkQuota(auth.appid, target);
    const id = randomUUID();
    for (const url of lifecycleNotificationUrl ? [notificationUrl, lifecycleNotificationUrl] : [notificationUrl]) {
      const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
      const problem = await this.deliverer.validate(id, url, token);
      if (problem) fail(400, 'ValidationError', problem);
    }
    const sub: Subscription = {
      id, resource, changeType, clientState, notificationUrl, lifecycleNotificationUrl,
      expirationDateTime: new Date(expiresAt).toISOString(), applicationId: auth.appid, creatorId: auth.oid,
      includeResourceData: false, latestSupportedTlsVersion: 'v1_2', encryptionCertificate: null, encryptionCertificateId: null,
      notificationQueryOptions: null, notificationUrlAppId: null,
    };
    this.subs.set(id, { sub, target, expiresAt, needsReauth: false });
    return sub;
  }

  private checkQuota(appId: string, target: Target): void {
    if (!['users', 'groups', 'members'].includes(target.kind)) return;
    const n = [...this.subs.values()].filter((r) => r.sub.applicationId === appId && ['users', 'groups', 'members'].includes(r.target.kind)).length;
    if (n >= DIRECTORY_QUOTA) fail(403, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Forbidden; Reason: Subscription quota exceeded for this application and tenant.]');
  }

  /** A live subscription or Graph's 404 (expired ones are gone). */
  record(id: string): SubscriptionRecord {
    const rec = this.subs.get(id);
    if (!rec || rec.expiresAt <= this.state.clock.now()) {
      if (rec) this.subs.delete(id);
      throw new GraphHttpError(404, 'ResourceNotFound', `The object was not found. Subscription '${id}' does not exist or has expired.`);
    }
    return rec;
  }

  list(appId?: string): Subscription[] {
    const now = this.state.clock.now();
    return [...this.subs.values()].filter((r) => r.expiresAt > now && (!appId || r.sub.applicationId === appId)).map((r) => r.sub);
  }

  renew(id: string, expiration: unknown): Subscription {
    const rec = this.record(id);
    rec.expiresAt = checkExpiry(rec.target.kind, expiration, this.state.clock.now());
    rec.sub.expirationDateTime = new Date(rec.expiresAt).toISOString();
    rec.needsReauth = false;
    return rec.sub;
  }

  reauthorize(id: string): void {
    this.record(id).needsReauth = false;
  }

  delete(id: string): void {
    this.record(id);
    this.subs.delete(id);
  }

  clear(): void {
    this.subs.clear();
    this.pending.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Sends a lifecycle notification (control API); subscriptionRemoved also deletes the subscription. */
  async lifecycle(id: string, event: LifecycleEvent): Promise<boolean> {
    const rec = this.record(id);
    const { sub } = rec;
    if (event === 'reauthorizationRequired') rec.needsReauth = true;
    if (event === 'subscriptionRemoved') this.subs.delete(id);
    if (!sub.lifecycleNotificationUrl) return false;
    const item = { subscriptionId: id, subscriptionExpirationDateTime: sub.expirationDateTime, tenantId: this.state.tenant.tenantId, clientState: sub.clientState, lifecycleEvent: event };
    return this.deliverer.post(id, sub.lifecycleNotificationUrl, 'lifecycle', { value: [item] });
  }

  // ---- change fan-out ------------------------------------------------------------------------

  private matching(pred: (r: SubscriptionRecord) => boolean, changeType: string): SubscriptionRecord[] {
    const now = this.state.clock.now();
    return [...this.subs.values()].filter((r) => r.expiresAt > now && !r.needsReauth && r.sub.changeType.split(',').map((s) => s.trim()).includes(changeType) && pred(r));
  }

  private userMatches(target: Target, userId: string): boolean {
    if (!target.id) return true;
    return target.id === userId || this.state.directory.findUser(target.id)?.data.id === userId;
  }

  private enqueue(recs: SubscriptionRecord[], item: PendingItem): void {
    for (const rec of recs) {
      const id = rec.sub.id;
      const list = this.pending.get(id);
      if (list) {
        list.push(item);
        continue;
      }
      this.pending.set(id, [item]);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.flush(id);
      }, this.settings.notificationDelayMs);
      this.timers.add(timer);
    }
  }

  private async flush(id: string): Promise<void> {
    const items = this.pending.get(id) ?? [];
    this.pending.delete(id);
    const rec = this.subs.get(id);
    if (!rec || items.length === 0) return;
    const value = items.map((i) => ({
      subscriptionId: id,
      subscriptionExpirationDateTime: rec.sub.expirationDateTime,
      changeType: i.changeType,
      resource: i.resource,
      resourceData: i.resourceData,
      clientState: rec.sub.clientState,
      tenantId: this.state.tenant.tenantId,
    }));
    await this.deliverer.post(id, rec.sub.notificationUrl, 'notification', { value });
  }

  private onDirectory(c: DirChange): void {
    const tid = this.state.tenant.tenantId;
    const changeType = c.op === 'purge' ? 'deleted' : 'updated';
    const type = c.kind === 'user' ? 'User' : 'Group';
    const resource = `${type}s/${c.id}`;
    const resourceData: Record<string, unknown> = { '@odata.type': `#Microsoft.Graph.${type}`, '@odata.id': resource, id: c.id, organizationId: tid };
    if (c.op === 'memberAdd' || c.op === 'memberRemove') {
      resourceData['members@delta'] = [{ id: c.memberId, ...(c.op === 'memberRemove' ? { '@removed': 'deleted' } : {}) }];
      this.enqueue(this.matching((r) => r.target.kind === 'members' && r.target.id === c.id, changeType), { changeType, resource: `Groups/${c.id}/members`, resourceData });
    }
    const kind = c.kind === 'user' ? 'users' : 'groups';
    this.enqueue(this.matching((r) => r.target.kind === kind && (!r.target.id || r.target.id === c.id || (c.kind === 'user' && this.userMatches(r.target, c.id))), changeType), { changeType, resource, resourceData });
  }

  private onMailbox(e: MailboxEvent): void {
    const kind = e.kind === 'contact' ? 'contacts' : 'events';
    const type = e.kind === 'contact' ? 'Contact' : 'Event';
    const resource = `Users/${e.userId}/${type}s/${e.id}`;
    const recs = this.matching((r) => r.target.kind === kind && this.userMatches(r.target, e.userId) && (!r.target.folderId || r.target.folderId === e.folderId), e.changeType);
    this.enqueue(recs, { changeType: e.changeType, resource, resourceData: { '@odata.type': `#Microsoft.Graph.${type}`, '@odata.id': resource, id: e.id } });
  }

  /**
   * Presence subscriptions here are basic (includeResourceData is always false), and since June 2024
   * Graph's basic presence notifications name the user only — no availability or activity; the
   * subscriber reads the presence itself. Shape from "Breaking changes to Microsoft Graph presence
   * and online meeting basic change notifications" (devblogs.microsoft.com/microsoft365dev/breaking-
   * changes-to-microsoft-graph-presence-and-online-meeting-basic-change-notifications).
   */
  private onPresence(p: PresenceChange): void {
    const resource = `communications/presences?$filter=id+in+(%27${p.userId}%27)`;
    const recs = this.matching((r) => r.target.kind === 'presence' && (r.target.presenceIds ?? []).includes(p.userId), 'updated');
    this.enqueue(recs, { changeType: 'updated', resource, resourceData: { '@odata.type': '#Microsoft.Graph.presence', '@odata.id': `users/${p.userId}/presence`, id: p.userId } });
  }
}
