import { randomBytes } from 'node:crypto';
import type { Clock } from '../util/clock.js';
import { createRng, deriveSeed } from '../util/random.js';
import { outlookId } from './ids.js';
import { ChangeLog } from './changelog.js';
import { generateContacts, generateEvents, generateFolders } from './mailbox-seed.js';
import type { UserRecord } from './types.js';

export interface EmailAddress {
  name: string;
  address: string;
}

export interface ContactData {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  categories: string[];
  parentFolderId: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  companyName: string | null;
  department: string | null;
  jobTitle: string | null;
  mobilePhone: string | null;
  homePhones: string[];
  businessPhones: string[];
  emailAddresses: EmailAddress[];
}

export interface ContactFolder {
  id: string;
  displayName: string;
  parentFolderId: string;
}

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

export type ShowAs = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';

export interface EventData {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  subject: string;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  showAs: ShowAs;
  isAllDay: boolean;
  isCancelled: boolean;
  location: { displayName: string };
  organizer: { emailAddress: EmailAddress };
}

export interface ContactChange {
  seq: number;
  folderId: string;
  id: string;
  op: 'upsert' | 'delete';
}

export interface Mailbox {
  ownerId: string;
  /** The default "Contacts" folder; its children are what /contactFolders lists. */
  rootFolderId: string;
  folders: Map<string, ContactFolder>;
  contacts: Map<string, ContactData>;
  log: ChangeLog<ContactChange>;
  events: Map<string, EventData>;
}

export interface MailboxEvent {
  userId: string;
  kind: 'contact' | 'event';
  id: string;
  folderId: string | null;
  changeType: 'created' | 'updated' | 'deleted';
}

const changeKey = (): string => randomBytes(12).toString('base64');

/**
 * Mailboxes are generated on first access from (seed, user index): seeding 100k users stays
 * fast and every run still sees the same contacts.
 */
export class MailboxStore {
  private readonly boxes = new Map<string, Mailbox>();
  private readonly listeners = new Set<(e: MailboxEvent) => void>();

  constructor(
    private readonly clock: Clock,
    private seed: number,
  ) {}

  reset(seed: number): void {
    this.seed = seed;
    this.boxes.clear();
  }

  onChange(listener: (e: MailboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: MailboxEvent): void {
    for (const l of this.listeners) l(e);
  }

  get(user: UserRecord): Mailbox {
    const existing = this.boxes.get(user.data.id);
    if (existing) return existing;
    const rng = createRng(deriveSeed(this.seed, 7, user.seedIndex < 0 ? user.ord + 1_000_000 : user.seedIndex));
    const rootFolderId = outlookId(rng);
    const box: Mailbox = {
      ownerId: user.data.id,
      rootFolderId,
      folders: new Map(),
      contacts: new Map(),
      log: new ChangeLog<ContactChange>(),
      events: new Map(),
    };
    if (user.seedIndex >= 0) {
      const now = this.clock.now();
      for (const f of generateFolders(rng, rootFolderId, user.mailbox.shared)) box.folders.set(f.id, f);
      for (const c of generateContacts(rng, [rootFolderId, ...box.folders.keys()], user.mailbox.shared, now)) box.contacts.set(c.id, c);
      for (const e of generateEvents(rng, user, now)) box.events.set(e.id, e);
    }
    this.boxes.set(user.data.id, box);
    return box;
  }

  folderExists(box: Mailbox, folderId: string): boolean {
    return folderId === box.rootFolderId || box.folders.has(folderId);
  }

  upsertContact(box: Mailbox, contact: ContactData, created: boolean): void {
    contact.lastModifiedDateTime = this.clock.iso();
    contact.changeKey = changeKey();
    box.contacts.set(contact.id, contact);
    box.log.append({ folderId: contact.parentFolderId, id: contact.id, op: 'upsert' });
    this.emit({ userId: box.ownerId, kind: 'contact', id: contact.id, folderId: contact.parentFolderId, changeType: created ? 'created' : 'updated' });
  }

  deleteContact(box: Mailbox, contact: ContactData): void {
    box.contacts.delete(contact.id);
    box.log.append({ folderId: contact.parentFolderId, id: contact.id, op: 'delete' });
    this.emit({ userId: box.ownerId, kind: 'contact', id: contact.id, folderId: contact.parentFolderId, changeType: 'deleted' });
  }

  upsertEvent(box: Mailbox, event: EventData, created: boolean): void {
    event.lastModifiedDateTime = this.clock.iso();
    event.changeKey = changeKey();
    box.events.set(event.id, event);
    this.emit({ userId: box.ownerId, kind: 'event', id: event.id, folderId: null, changeType: created ? 'created' : 'updated' });
  }

  deleteEvent(box: Mailbox, event: EventData): void {
    box.events.delete(event.id);
    this.emit({ userId: box.ownerId, kind: 'event', id: event.id, folderId: null, changeType: 'deleted' });
  }

  /** Invalidates every contacts delta token (control API "expire delta tokens"). */
  expireDeltaTokens(): void {
    for (const box of this.boxes.values()) box.log.expireTokens();
  }

}
