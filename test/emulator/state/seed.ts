import { createRng, type Rng } from '../util/random.js';
import type { Directory } from './directory.js';
import { DEPARTMENTS, FIRST_NAMES, JOB_TITLES, LAST_NAMES, OFFICES, SHARED_MAILBOXES } from './names.js';
import type { GroupData, UserData, UserRecord } from './types.js';

export interface SeedOptions {
  /** Number of user objects (shared mailboxes included). */
  users: number;
  /** Number of groups; default max(6, users / 50) capped at 2,000. */
  groups?: number;
  seed: number;
  /** Share of guests (default 0.05) and of disabled members (default 0.04). */
  guestRatio?: number;
  disabledRatio?: number;
  /** Number of shared mailboxes among the users (default 2..8 by size). */
  sharedMailboxes?: number;
}

export interface SeedResult {
  users: number;
  groups: number;
  guests: number;
  disabled: number;
  sharedMailboxes: number;
  adminId: string;
  ms: number;
}

const BASE_CREATED = Date.UTC(2022, 0, 10);
const LANGS = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP'] as const;
const GROUP_WORDS = ['Phoenix', 'Atlas', 'Orion', 'Nova', 'Falcon', 'Aurora', 'Summit', 'Harbor', 'Cascade', 'Zenith', 'Meridian', 'Pioneer'] as const;
const GROUP_KINDS = ['Project', 'Team', 'Committee', 'Working group', 'Site', 'Program'] as const;

/** ASCII mail local part: "Søren O'Brien" → "soren.obrien". */
const slug = (s: string): string => s.normalize('NFD').replace(/[^\p{L}\p{N} ]/gu, '').replace(/\p{M}/gu, '').toLowerCase().replace(/ /g, '');

/**
 * Users without attributes share one frozen object (15 keys × 100k users is a lot of garbage);
 * writers always replace the whole object (PATCH merges into a copy), never mutate it.
 */
const EMPTY_ATTRIBUTES: Readonly<Record<string, string | null>> = Object.freeze(
  Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null])),
);

/** Builds a user object with every property Graph knows, null where unset. */
export function blankUser(id: string, upn: string, displayName: string, now: number): UserData {
  return {
    id,
    displayName,
    givenName: null,
    surname: null,
    mail: null,
    userPrincipalName: upn,
    mailNickname: upn.split('@')[0] ?? upn,
    mobilePhone: null,
    businessPhones: [],
    jobTitle: null,
    department: null,
    officeLocation: null,
    companyName: null,
    city: null,
    country: null,
    usageLocation: null,
    preferredLanguage: null,
    employeeId: null,
    onPremisesExtensionAttributes: EMPTY_ATTRIBUTES,
    accountEnabled: true,
    userType: 'Member',
    createdDateTime: new Date(now).toISOString(),
    otherMails: [],
    proxyAddresses: [],
  };
}

interface PersonContext {
  rng: Rng;
  domain: string;
  taken: Set<string>;
  counters: Map<string, number>;
  phones: string[];
  extensions: string[];
}

/** "anna.smith", then "anna.smith2", …: a per-base counter keeps this O(1) for 100k users. */
function uniqueNick(ctx: PersonContext, base: string): string {
  let n = ctx.counters.get(base) ?? 1;
  let nick = n === 1 ? base : `${base}${n}`;
  while (ctx.taken.has(nick)) nick = `${base}${++n}`;
  ctx.counters.set(base, n + 1);
  ctx.taken.add(nick);
  return nick;
}

/** Phones with the mess real directories have: missing, junk, and duplicated numbers. */
function phonesFor(ctx: PersonContext, index: number, user: UserData): void {
  const { rng } = ctx;
  const ext = String(1000 + index);
  const roll = rng.next();
  if (roll < 0.82) user.businessPhones = [`+1 425 555 ${ext}`];
  else if (roll < 0.86) user.businessPhones = [rng.pick(['tbd', 'n/a', 'ext. ???', '+'])];
  else if (roll < 0.89 && ctx.phones.length > 0) user.businessPhones = [rng.pick(ctx.phones)];
  if (user.businessPhones[0]?.startsWith('+1')) ctx.phones.push(user.businessPhones[0]);
  if (rng.chance(0.6)) user.mobilePhone = `+49 151 ${String(rng.int(1e8)).padStart(8, '0')}`;
  const attrRoll = rng.next();
  const attrs = { ...user.onPremisesExtensionAttributes };
  user.onPremisesExtensionAttributes = attrs;
  if (attrRoll < 0.7) attrs.extensionAttribute1 = ext;
  else if (attrRoll < 0.72 && ctx.extensions.length > 0) attrs.extensionAttribute1 = rng.pick(ctx.extensions);
  else if (attrRoll < 0.75) attrs.extensionAttribute1 = 'n/a';
  if (attrs.extensionAttribute1 === ext) ctx.extensions.push(ext);
  if (rng.chance(0.3)) attrs.extensionAttribute2 = rng.pick(['Cost center 100', 'Cost center 200', 'Cost center 300']);
}

function makePerson(ctx: PersonContext, index: number, guest: boolean): UserData {
  const { rng, domain } = ctx;
  const given = rng.pick(FIRST_NAMES);
  const sur = rng.pick(LAST_NAMES);
  const nick = uniqueNick(ctx, `${slug(given)}.${slug(sur)}`);
  const created = BASE_CREATED + index * 60_000;
  const external = guest ? `${nick}@${rng.pick(['gmail.com', 'outlook.com', 'fabrikam.com', 'partner.example'])}` : null;
  const upn = external ? `${external.replace('@', '_')}#EXT#@${domain}` : `${nick}@${domain}`;
  const user = blankUser(ctx.rng.guid(), upn, `${given} ${sur}`, created);
  user.givenName = given;
  user.surname = sur;
  user.mail = external ?? `${nick}@${domain}`;
  user.userType = guest ? 'Guest' : 'Member';
  if (external) user.otherMails = [external];
  else user.proxyAddresses = [`SMTP:${nick}@${domain}`];
  if (!guest || rng.chance(0.3)) {
    user.department = rng.chance(0.95) ? rng.pick(DEPARTMENTS) : null;
    user.jobTitle = rng.pick(JOB_TITLES);
  }
  if (!guest) {
    const office = rng.pick(OFFICES);
    user.officeLocation = office;
    user.companyName = 'Contoso';
    user.city = office.split(' ')[0] ?? null;
    user.usageLocation = 'US';
    user.preferredLanguage = rng.pick(LANGS);
    user.employeeId = rng.chance(0.8) ? String(100000 + index) : null;
    phonesFor(ctx, index, user);
  }
  return user;
}

function makeShared(ctx: PersonContext, name: string, index: number): UserData {
  const nick = uniqueNick(ctx, slug(name));
  const user = blankUser(ctx.rng.guid(), `${nick}@${ctx.domain}`, name, BASE_CREATED + index * 60_000);
  user.mail = `${nick}@${ctx.domain}`;
  user.accountEnabled = false; // shared mailboxes have a disabled account
  user.proxyAddresses = [`SMTP:${nick}@${ctx.domain}`];
  return user;
}

function seedUsers(dir: Directory, opts: SeedOptions, domain: string, rng: Rng): Omit<SeedResult, 'groups' | 'ms'> {
  const ctx: PersonContext = { rng, domain, taken: new Set(['admin']), counters: new Map(), phones: [], extensions: [] };
  const sharedCount = Math.min(opts.sharedMailboxes ?? Math.min(SHARED_MAILBOXES.length, Math.max(2, Math.floor(opts.users / 100))), Math.max(0, opts.users - 1));
  const counts = { users: 0, guests: 0, disabled: 0, sharedMailboxes: sharedCount, adminId: '' };
  if (opts.users <= 0) return counts;
  const admin = blankUser(rng.guid(), `admin@${domain}`, 'MOD Administrator', BASE_CREATED);
  Object.assign(admin, { givenName: 'MOD', surname: 'Administrator', mail: `admin@${domain}`, jobTitle: 'IT Admin', department: 'IT' });
  counts.adminId = dir.addUser(admin, { seedIndex: 0 }, true).data.id;
  for (let i = 1; i < opts.users - sharedCount; i++) {
    const guest = rng.chance(opts.guestRatio ?? 0.05);
    const user = makePerson(ctx, i, guest);
    if (!guest && rng.chance(opts.disabledRatio ?? 0.04)) user.accountEnabled = false;
    counts.guests += guest ? 1 : 0;
    counts.disabled += user.accountEnabled ? 0 : 1;
    // Most guests have no mailbox: their contacts calls answer MailboxNotEnabledForRESTAPI.
    const mailbox = { enabled: !guest || rng.chance(0.1), shared: false, accessDenied: false };
    dir.addUser(user, { seedIndex: i, mailbox, hasPhoto: !guest && rng.chance(0.3) }, true);
  }
  for (let s = 0; s < sharedCount; s++) {
    const name = SHARED_MAILBOXES[s % SHARED_MAILBOXES.length] ?? 'Shared';
    const label = s < SHARED_MAILBOXES.length ? name : `${name} ${Math.floor(s / SHARED_MAILBOXES.length) + 1}`;
    const index = opts.users - sharedCount + s;
    dir.addUser(makeShared(ctx, label, index), { seedIndex: index, mailbox: { enabled: true, shared: true, accessDenied: false } }, true);
  }
  counts.users = dir.users.length;
  return counts;
}

function groupData(rng: Rng, name: string, kind: 'security' | 'unified' | 'mailSecurity' | 'dynamic', index: number, domain: string): GroupData {
  const nick = `${slug(name).replace(/[^a-z0-9]/g, '')}${index}`;
  const mailEnabled = kind === 'unified' || kind === 'mailSecurity';
  return {
    id: rng.guid(),
    displayName: name,
    description: `${name} (${kind === 'unified' ? 'Microsoft 365' : 'security'} group)`,
    mail: mailEnabled ? `${nick}@${domain}` : null,
    mailEnabled,
    mailNickname: nick,
    securityEnabled: kind !== 'unified',
    groupTypes: kind === 'unified' ? ['Unified'] : kind === 'dynamic' ? ['DynamicMembership'] : [],
    visibility: kind === 'unified' ? rng.pick(['Private', 'Public']) : null,
    membershipRule: kind === 'dynamic' ? '(user.department -eq "Sales")' : null,
    createdDateTime: new Date(BASE_CREATED + index * 3_600_000).toISOString(),
  };
}

function seedGroups(dir: Directory, count: number, domain: string, rng: Rng): void {
  const users = dir.users;
  const byDept = new Map<string, UserRecord[]>();
  for (const u of users) {
    const d = u.data.department;
    if (d) (byDept.get(d) ?? byDept.set(d, []).get(d))?.push(u);
  }
  const made = [];
  // Department groups first: large security groups, the kind admins scope sync by.
  for (const [dept, members] of byDept) {
    if (made.length >= Math.ceil(count / 2)) break;
    const g = dir.addGroup(groupData(rng, `Dept - ${dept}`, 'security', made.length, domain), true);
    for (const m of members) dir.addMember(g, m.data.id, true);
    made.push(g);
  }
  const kinds = ['unified', 'security', 'unified', 'mailSecurity', 'security', 'dynamic'] as const;
  for (let i = made.length; i < count; i++) {
    const kind = kinds[i % kinds.length] ?? 'security';
    const name = `${rng.pick(GROUP_KINDS)} ${rng.pick(GROUP_WORDS)} ${i}`;
    const g = dir.addGroup(groupData(rng, name, kind, i, domain), true);
    const size = 3 + rng.int(40);
    for (let k = 0; k < size && users.length > 0; k++) dir.addMember(g, rng.pick(users).data.id, true);
    // Nesting only points at earlier groups, so the graph stays acyclic.
    if (kind !== 'unified' && made.length > 0 && rng.chance(0.3)) dir.addMember(g, rng.pick(made).data.id, true);
    made.push(g);
  }
}

/** Replaces the directory with a deterministic tenant: same options, same objects and ids. */
export function seedDirectory(dir: Directory, opts: SeedOptions, domain: string): SeedResult {
  const started = performance.now();
  dir.clear();
  const rng = createRng(opts.seed);
  const counts = seedUsers(dir, opts, domain, rng);
  const groups = Math.max(0, opts.groups ?? Math.min(2000, Math.max(6, Math.floor(opts.users / 50))));
  seedGroups(dir, groups, domain, rng);
  return { ...counts, groups: dir.groups.length, ms: Math.round(performance.now() - started) };
}
