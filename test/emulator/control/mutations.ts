import { applyContactFields, newContact } from '../state/contacts.js';
import type { ContactData } from '../state/mailbox.js';
import { blankUser } from '../state/seed.js';
import type { GroupData, GroupRecord, MailboxFlags, UserData, UserRecord } from '../state/types.js';
import { ControlError, ControlOps } from './ops.js';
import type { PresenceState } from '../state/presence.js';

/** Tenant mutations for tests and demos; each one lands in the change log and fires subscriptions. */
export class EmulatorControl extends ControlOps {
  private ticker: NodeJS.Timeout | undefined;
  private tick = 0;
  private readonly initialApps = new Map([...this.svc.state.apps.values()].map((a) => [a.clientId, structuredClone({ ...a, userConsent: undefined })]));
  private readonly initialSeed = { ...this.svc.state.seedOptions };

  /** Back to the state right after start: same tenant, same app secrets, no faults, empty log. */
  resetAll(): void {
    this.stopPresenceTicker();
    this.clearFaults();
    this.clearRequests();
    this.svc.sessions.clear();
    this.svc.state.clock.reset();
    this.svc.settings.deltaExpiredStatus = 400;
    for (const app of this.svc.state.apps.values()) {
      const initial = this.initialApps.get(app.clientId);
      if (!initial) continue;
      Object.assign(app, { ...structuredClone(initial), userConsent: new Map() });
    }
    this.seed(this.initialSeed);
  }

  user(idOrUpn: string): UserRecord {
    const u = this.svc.state.directory.findUser(idOrUpn);
    if (!u) throw new ControlError(404, `no user ${idOrUpn}`);
    return u;
  }

  group(id: string): GroupRecord {
    const g = this.svc.state.directory.findGroup(id);
    if (!g) throw new ControlError(404, `no group ${id}`);
    return g;
  }

  listUsers(opts: { shared?: boolean; limit?: number; offset?: number } = {}): UserData[] {
    const users = this.svc.state.directory.users.filter((u) => opts.shared === undefined || u.mailbox.shared === opts.shared);
    const offset = opts.offset ?? 0;
    return users.slice(offset, offset + (opts.limit ?? 100)).map((u) => u.data);
  }

  createUser(fields: Partial<UserData> & { displayName: string; mailNickname?: string }, mailbox: Partial<MailboxFlags> = {}): UserData {
    const { state } = this.svc;
    const nick = fields.mailNickname ?? fields.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '.');
    const upn = fields.userPrincipalName ?? `${nick}@${state.tenant.domain}`;
    if (state.directory.findUser(upn)) throw new ControlError(409, `user ${upn} exists`);
    const data: UserData = { ...blankUser(crypto.randomUUID(), upn, fields.displayName, state.clock.now()), mail: upn, ...fields };
    const flags: MailboxFlags = { enabled: data.userType === 'Member', shared: false, accessDenied: false, ...mailbox };
    return state.directory.addUser(data, { mailbox: flags }).data;
  }

  updateUser(idOrUpn: string, patch: Partial<UserData>): string[] {
    return this.svc.state.directory.updateUser(this.user(idOrUpn), patch);
  }

  /** Soft delete by default (delta: reason "changed"); permanent → reason "deleted". */
  deleteUser(idOrUpn: string, permanent = false): void {
    const u = this.user(idOrUpn);
    if (permanent) this.svc.state.directory.purgeUser(u.data.id);
    else this.svc.state.directory.softDeleteUser(u);
  }

  restoreUser(id: string): UserData {
    const u = this.svc.state.directory.restoreUser(id);
    if (!u) throw new ControlError(404, `no deleted user ${id}`);
    return u.data;
  }

  setMailbox(idOrUpn: string, flags: Partial<MailboxFlags>): MailboxFlags {
    const u = this.user(idOrUpn);
    Object.assign(u.mailbox, flags);
    return u.mailbox;
  }

  setPhoto(idOrUpn: string, hasPhoto: boolean): void {
    this.user(idOrUpn).hasPhoto = hasPhoto;
  }

  createGroup(fields: Partial<GroupData> & { displayName: string }, memberIds: string[] = []): GroupData {
    const nick = fields.mailNickname ?? fields.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const data: GroupData = {
      id: crypto.randomUUID(), description: null, mail: null, mailEnabled: false, mailNickname: nick, securityEnabled: true,
      groupTypes: [], visibility: null, membershipRule: null, createdDateTime: this.svc.state.clock.iso(), ...fields,
    };
    const g = this.svc.state.directory.addGroup(data);
    for (const m of memberIds) this.svc.state.directory.addMember(g, m);
    return g.data;
  }

  updateGroup(id: string, patch: Partial<GroupData>): string[] {
    return this.svc.state.directory.updateGroup(this.group(id), patch);
  }

  deleteGroup(id: string, permanent = false): void {
    const g = this.group(id);
    if (permanent) this.svc.state.directory.purgeGroup(id);
    else this.svc.state.directory.softDeleteGroup(g);
  }

  addMember(groupId: string, memberId: string): boolean {
    return this.svc.state.directory.addMember(this.group(groupId), memberId);
  }

  removeMember(groupId: string, memberId: string): boolean {
    return this.svc.state.directory.removeMember(this.group(groupId), memberId);
  }

  /** Contacts in a user's (or shared) mailbox; folderId defaults to the default Contacts folder. */
  listContacts(idOrUpn: string): ContactData[] {
    return [...this.svc.state.mailboxes.get(this.user(idOrUpn)).contacts.values()];
  }

  createContact(idOrUpn: string, fields: Record<string, unknown>, folderId?: string): ContactData {
    const box = this.svc.state.mailboxes.get(this.user(idOrUpn));
    const folder = folderId ?? box.rootFolderId;
    if (!this.svc.state.mailboxes.folderExists(box, folder)) throw new ControlError(404, `no folder ${folder}`);
    const c = newContact(folder, fields, this.svc.state.clock.iso());
    this.svc.state.mailboxes.upsertContact(box, c, true);
    return c;
  }

  updateContact(idOrUpn: string, contactId: string, fields: Record<string, unknown>): ContactData {
    const box = this.svc.state.mailboxes.get(this.user(idOrUpn));
    const c = box.contacts.get(contactId);
    if (!c) throw new ControlError(404, `no contact ${contactId}`);
    applyContactFields(c, fields);
    this.svc.state.mailboxes.upsertContact(box, c, false);
    return c;
  }

  deleteContact(idOrUpn: string, contactId: string): void {
    const box = this.svc.state.mailboxes.get(this.user(idOrUpn));
    const c = box.contacts.get(contactId);
    if (!c) throw new ControlError(404, `no contact ${contactId}`);
    this.svc.state.mailboxes.deleteContact(box, c);
  }

  /** Sets what the user's Teams clients report (or, with preferred, setUserPreferredPresence). */
  setPresence(idOrUpn: string, state: PresenceState, opts: { preferred?: boolean; durationMs?: number } = {}): PresenceState {
    const u = this.user(idOrUpn);
    const presence = this.svc.state.presence;
    if (opts.preferred) return presence.setPreferred(u.data.id, u.ord, state, opts.durationMs ?? 7 * 86_400_000);
    return presence.setClient(u.data.id, u.ord, state);
  }

  getPresence(idOrUpn: string): PresenceState {
    const u = this.user(idOrUpn);
    return this.svc.state.presence.get(u.data.id, u.ord);
  }

  /** Demo helper: every interval, a share of users get a new random Teams client state. */
  startPresenceTicker(intervalMs = 5000, fraction = 0.02): void {
    this.stopPresenceTicker();
    this.ticker = setInterval(() => {
      this.tick += 1;
      const users = this.svc.state.directory.users;
      const n = Math.max(1, Math.floor(users.length * fraction));
      for (let i = 0; i < n; i++) {
        const u = users[(this.tick * 7919 + i * 104729) % Math.max(1, users.length)];
        if (u) this.svc.state.presence.setClient(u.data.id, u.ord, this.svc.state.presence.randomClientState(u.ord, this.tick));
      }
    }, intervalMs);
    this.ticker.unref();
  }

  stopPresenceTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }
}
