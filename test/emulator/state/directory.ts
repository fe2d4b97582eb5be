import type { Clock } from '../util/clock.js';
import { ChangeLog } from './changelog.js';
import type { DirChange, DirChangeInput, GroupData, GroupRecord, ObjectKind, UserData, UserRecord } from './types.js';

export type DirListener = (change: DirChange) => void;

/** Finds the index of the first record with ord >= target in an ord-sorted array. */
export function lowerBound(records: readonly { ord: number }[], target: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((records[mid]?.ord ?? Infinity) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function removeByOrd<T extends { ord: number }>(records: T[], rec: T): void {
  const i = lowerBound(records, rec.ord);
  if (records[i] === rec) records.splice(i, 1);
}

/**
 * Users and groups with their memberships. Records live in ord-sorted arrays (cheap paging for
 * 100k users) plus id/UPN maps; every mutation goes through here so it reaches the change log
 * and the subscription listeners.
 */
export class Directory {
  readonly users: UserRecord[] = [];
  readonly groups: GroupRecord[] = [];
  readonly usersById = new Map<string, UserRecord>();
  readonly groupsById = new Map<string, GroupRecord>();
  /** Lower-cased UPN and mail → user, for /users/{upn} and getSchedule. */
  private readonly usersByName = new Map<string, UserRecord>();
  /** memberId → ids of groups that directly contain it. */
  private readonly parents = new Map<string, Set<string>>();
  readonly log = new ChangeLog<DirChange>();
  private readonly listeners = new Set<DirListener>();
  private nextOrd = 1;

  constructor(private readonly clock: Clock) {}

  onChange(listener: DirListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(change: DirChangeInput): void {
    const entry = this.log.append(change);
    for (const l of this.listeners) l(entry);
  }

  // ---- lookups -------------------------------------------------------------------------------

  /** A live (not soft-deleted) user by object id, UPN or mail. */
  findUser(idOrName: string): UserRecord | undefined {
    const byId = this.usersById.get(idOrName) ?? this.usersByName.get(idOrName.toLowerCase());
    return byId && byId.deletedAt === null ? byId : undefined;
  }

  findGroup(id: string): GroupRecord | undefined {
    const g = this.groupsById.get(id);
    return g && g.deletedAt === null ? g : undefined;
  }

  kindOf(id: string): ObjectKind | undefined {
    if (this.findUser(id)) return 'user';
    if (this.findGroup(id)) return 'group';
    return undefined;
  }

  // ---- users ---------------------------------------------------------------------------------

  /** Adds a user; `silent` skips the change log (used while seeding, before any delta round). */
  addUser(data: UserData, extra: Partial<Omit<UserRecord, 'data' | 'ord'>> = {}, silent = false): UserRecord {
    const rec: UserRecord = {
      ord: this.nextOrd++,
      seedIndex: extra.seedIndex ?? -1,
      data,
      mailbox: extra.mailbox ?? { enabled: data.userType === 'Member', shared: false, accessDenied: false },
      hasPhoto: extra.hasPhoto ?? false,
      deletedAt: null,
    };
    this.users.push(rec);
    this.usersById.set(data.id, rec);
    this.indexNames(rec);
    if (!silent) this.record({ kind: 'user', id: data.id, op: 'create' });
    return rec;
  }

  private indexNames(rec: UserRecord): void {
    this.usersByName.set(rec.data.userPrincipalName.toLowerCase(), rec);
    if (rec.data.mail) this.usersByName.set(rec.data.mail.toLowerCase(), rec);
  }

  private unindexNames(rec: UserRecord): void {
    for (const name of [rec.data.userPrincipalName, rec.data.mail]) {
      if (name && this.usersByName.get(name.toLowerCase()) === rec) this.usersByName.delete(name.toLowerCase());
    }
  }

  /** Applies a patch and returns the names of properties whose value really changed. */
  updateUser(rec: UserRecord, patch: Partial<UserData>): string[] {
    this.unindexNames(rec);
    const changed = applyPatch(rec.data as unknown as Record<string, unknown>, patch);
    this.indexNames(rec);
    if (changed.length > 0) this.record({ kind: 'user', id: rec.data.id, op: 'update', props: changed });
    return changed;
  }

  /** DELETE /users/{id}: soft delete (restorable for 30 days); memberships are dropped. */
  softDeleteUser(rec: UserRecord): void {
    this.detachFromGroups(rec.data.id, 'user');
    rec.deletedAt = this.clock.now();
    removeByOrd(this.users, rec);
    this.unindexNames(rec);
    this.record({ kind: 'user', id: rec.data.id, op: 'softDelete' });
  }

  restoreUser(id: string): UserRecord | undefined {
    const rec = this.usersById.get(id);
    if (!rec || rec.deletedAt === null) return undefined;
    rec.deletedAt = null;
    this.users.splice(lowerBound(this.users, rec.ord), 0, rec);
    this.indexNames(rec);
    this.record({ kind: 'user', id, op: 'restore' });
    return rec;
  }

  /** Permanent deletion (from deletedItems, or 30 days later): delta says reason "deleted". */
  purgeUser(id: string): boolean {
    const rec = this.usersById.get(id);
    if (!rec) return false;
    if (rec.deletedAt === null) this.softDeleteUser(rec);
    this.usersById.delete(id);
    this.record({ kind: 'user', id, op: 'purge' });
    return true;
  }

  // ---- groups --------------------------------------------------------------------------------

  addGroup(data: GroupData, silent = false): GroupRecord {
    const rec: GroupRecord = { ord: this.nextOrd++, data, members: new Set(), deletedAt: null };
    this.groups.push(rec);
    this.groupsById.set(data.id, rec);
    if (!silent) this.record({ kind: 'group', id: data.id, op: 'create' });
    return rec;
  }

  updateGroup(rec: GroupRecord, patch: Partial<GroupData>): string[] {
    const changed = applyPatch(rec.data as unknown as Record<string, unknown>, patch);
    if (changed.length > 0) this.record({ kind: 'group', id: rec.data.id, op: 'update', props: changed });
    return changed;
  }

  softDeleteGroup(rec: GroupRecord): void {
    for (const member of [...rec.members]) this.removeMember(rec, member);
    this.detachFromGroups(rec.data.id, 'group');
    rec.deletedAt = this.clock.now();
    removeByOrd(this.groups, rec);
    this.record({ kind: 'group', id: rec.data.id, op: 'softDelete' });
  }

  purgeGroup(id: string): boolean {
    const rec = this.groupsById.get(id);
    if (!rec) return false;
    if (rec.deletedAt === null) this.softDeleteGroup(rec);
    this.groupsById.delete(id);
    this.record({ kind: 'group', id, op: 'purge' });
    return true;
  }

  /** Returns false when the member was already there (Graph answers 400 in that case). */
  addMember(group: GroupRecord, memberId: string, silent = false): boolean {
    const kind = this.kindOf(memberId);
    if (!kind || group.members.has(memberId)) return false;
    group.members.add(memberId);
    let set = this.parents.get(memberId);
    if (!set) this.parents.set(memberId, (set = new Set()));
    set.add(group.data.id);
    if (!silent) this.record({ kind: 'group', id: group.data.id, op: 'memberAdd', memberId, memberKind: kind });
    return true;
  }

  removeMember(group: GroupRecord, memberId: string): boolean {
    if (!group.members.delete(memberId)) return false;
    this.parents.get(memberId)?.delete(group.data.id);
    const memberKind: ObjectKind = this.usersById.has(memberId) ? 'user' : 'group';
    this.record({ kind: 'group', id: group.data.id, op: 'memberRemove', memberId, memberKind });
    return true;
  }

  private detachFromGroups(memberId: string, _kind: ObjectKind): void {
    for (const gid of [...(this.parents.get(memberId) ?? [])]) {
      const g = this.groupsById.get(gid);
      if (g) this.removeMember(g, memberId);
    }
  }

  /** Direct parents (groups that list the object as a member). */
  memberOf(id: string): GroupRecord[] {
    return [...(this.parents.get(id) ?? [])].flatMap((gid) => this.findGroup(gid) ?? []);
  }

  /** All groups the object belongs to directly or through nesting (each once). */
  transitiveMemberOf(id: string): GroupRecord[] {
    const seen = new Set<string>();
    const walk = (child: string): void => {
      for (const g of this.memberOf(child)) {
        if (seen.has(g.data.id)) continue;
        seen.add(g.data.id);
        walk(g.data.id);
      }
    };
    walk(id);
    return [...seen].flatMap((gid) => this.findGroup(gid) ?? []);
  }

  /** Members through nested groups, breadth-first, each once; nested groups are listed too (as Graph does). */
  transitiveMembers(group: GroupRecord): string[] {
    const seen = new Set<string>();
    const queue: GroupRecord[] = [group];
    for (let g = queue.shift(); g; g = queue.shift()) {
      for (const m of g.members) {
        if (seen.has(m) || m === group.data.id) continue;
        seen.add(m);
        const nested = this.findGroup(m);
        if (nested) queue.push(nested);
      }
    }
    return [...seen].filter((m) => this.kindOf(m) !== undefined);
  }

  clear(): void {
    this.users.length = 0;
    this.groups.length = 0;
    this.usersById.clear();
    this.groupsById.clear();
    this.usersByName.clear();
    this.parents.clear();
    this.log.expireTokens();
  }
}

/** Shallow patch with deep equality on values; returns the changed keys. */
export function applyPatch(target: Record<string, unknown>, patch: Record<string, unknown>): string[] {
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === 'id') continue;
    if (JSON.stringify(target[key]) === JSON.stringify(value)) continue;
    target[key] = value;
    changed.push(key);
  }
  return changed;
}
