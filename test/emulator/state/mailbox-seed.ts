import type { Rng } from '../util/random.js';
import type { ContactData, ContactFolder, EventData, ShowAs } from './mailbox.js';
import { outlookId } from './ids.js';
import { COMPANIES, EVENT_SUBJECTS, FIRST_NAMES, JOB_TITLES, LAST_NAMES } from './names.js';
import type { UserRecord } from './types.js';

const HOUR = 3_600_000;

export function generateFolders(rng: Rng, rootId: string, shared: boolean): ContactFolder[] {
  const folders: ContactFolder[] = [];
  if (!shared && !rng.chance(0.35)) return folders;
  for (const name of shared ? ['Partners', 'Suppliers'] : rng.chance(0.5) ? ['Customers'] : ['Customers', 'Family']) {
    const folder = { id: outlookId(rng), displayName: name, parentFolderId: rootId };
    folders.push(folder);
    // A nested folder now and then: sync must walk childFolders recursively.
    if (rng.chance(0.3)) folders.push({ id: outlookId(rng), displayName: `${name} - archive`, parentFolderId: folder.id });
  }
  return folders;
}

const phone = (rng: Rng, prefix: string): string => `${prefix} ${100 + rng.int(900)} ${1000 + rng.int(9000)}`;

/** Contacts with realistic gaps: some lack a name or any phone, some carry junk numbers. */
export function generateContacts(rng: Rng, folderIds: string[], shared: boolean, now: number): ContactData[] {
  const count = shared ? 20 + rng.int(30) : rng.int(12);
  const out: ContactData[] = [];
  for (let i = 0; i < count; i++) {
    const given = rng.chance(0.06) ? null : rng.pick(FIRST_NAMES);
    const sur = rng.chance(0.08) ? null : rng.pick(LAST_NAMES);
    const company = rng.chance(0.6) ? rng.pick(COMPANIES) : null;
    const noPhones = rng.chance(0.1);
    const stamp = new Date(now - rng.int(400) * 24 * HOUR).toISOString();
    out.push({
      id: outlookId(rng),
      createdDateTime: stamp,
      lastModifiedDateTime: stamp,
      changeKey: outlookId(rng).slice(5, 25),
      categories: [],
      parentFolderId: rng.chance(0.75) ? (folderIds[0] ?? '') : rng.pick(folderIds),
      displayName: [given, sur].filter(Boolean).join(' ') || (company ?? ''),
      givenName: given,
      surname: sur,
      companyName: company,
      department: null,
      jobTitle: rng.chance(0.4) ? rng.pick(JOB_TITLES) : null,
      mobilePhone: noPhones || rng.chance(0.4) ? null : rng.chance(0.05) ? 'ask reception' : phone(rng, '+49 170'),
      homePhones: noPhones || rng.chance(0.8) ? [] : [phone(rng, '+49 30')],
      businessPhones: noPhones || rng.chance(0.3) ? [] : [phone(rng, '+1 425')],
      emailAddresses:
        given && rng.chance(0.7)
          ? [{ name: `${given} ${sur ?? ''}`.trim(), address: `${given}.${sur ?? 'x'}@${(company ?? 'example').replace(/\W/g, '').toLowerCase()}.com`.toLowerCase() }]
          : [],
    });
  }
  return out;
}

const SHOW_AS: readonly ShowAs[] = ['busy', 'busy', 'busy', 'tentative', 'free', 'oof', 'workingElsewhere'];

/** A handful of events around "now" so calendar-driven presence has something to react to. */
export function generateEvents(rng: Rng, user: UserRecord, now: number): EventData[] {
  if (!user.mailbox.enabled || user.mailbox.shared) return [];
  const dayStart = Math.floor(now / (24 * HOUR)) * 24 * HOUR;
  const out: EventData[] = [];
  const count = rng.int(6);
  for (let i = 0; i < count; i++) {
    const start = dayStart + (rng.int(7) - 1) * 24 * HOUR + (8 + rng.int(9)) * HOUR + (rng.chance(0.5) ? HOUR / 2 : 0);
    const showAs = rng.pick(SHOW_AS);
    const allDay = showAs === 'oof' && rng.chance(0.5);
    const s = allDay ? Math.floor(start / (24 * HOUR)) * 24 * HOUR : start;
    const e = allDay ? s + 24 * HOUR : s + (1 + rng.int(3)) * (HOUR / 2);
    out.push(makeEvent(outlookId(rng), showAs === 'oof' ? 'Out of office' : rng.pick(EVENT_SUBJECTS), s, e, showAs, allDay, user, now));
  }
  return out;
}

/** Graph returns event times as UTC "yyyy-MM-ddTHH:mm:ss.0000000" unless Prefer: outlook.timezone says otherwise. */
export const graphDateTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}.0000000`;

export function makeEvent(id: string, subject: string, start: number, end: number, showAs: ShowAs, isAllDay: boolean, owner: UserRecord, now: number): EventData {
  const stamp = new Date(now).toISOString();
  return {
    id,
    createdDateTime: stamp,
    lastModifiedDateTime: stamp,
    changeKey: id.slice(5, 25),
    subject,
    start: { dateTime: graphDateTime(start), timeZone: 'UTC' },
    end: { dateTime: graphDateTime(end), timeZone: 'UTC' },
    showAs,
    isAllDay,
    isCancelled: false,
    location: { displayName: showAs === 'workingElsewhere' ? 'Customer site' : '' },
    organizer: { emailAddress: { name: owner.data.displayName ?? '', address: owner.data.mail ?? owner.data.userPrincipalName } },
  };
}
