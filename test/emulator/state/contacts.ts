import { outlookId } from './ids.js';
import type { ContactData, EmailAddress } from './mailbox.js';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function emails(v: unknown): EmailAddress[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((e) => (typeof e === 'object' && e !== null && 'address' in e ? [{ name: String((e as EmailAddress).name ?? ''), address: String((e as EmailAddress).address) }] : []));
}

/** Contact properties a client may write (POST/PATCH /contacts). */
export const CONTACT_WRITABLE = ['givenName', 'surname', 'displayName', 'companyName', 'department', 'jobTitle', 'mobilePhone', 'homePhones', 'businessPhones', 'emailAddresses', 'categories'] as const;

/** Applies writable fields from a JSON body onto a contact; displayName follows the names unless given. */
export function applyContactFields(c: ContactData, body: Record<string, unknown>): void {
  if ('givenName' in body) c.givenName = str(body.givenName);
  if ('surname' in body) c.surname = str(body.surname);
  if ('companyName' in body) c.companyName = str(body.companyName);
  if ('department' in body) c.department = str(body.department);
  if ('jobTitle' in body) c.jobTitle = str(body.jobTitle);
  if ('mobilePhone' in body) c.mobilePhone = str(body.mobilePhone);
  if ('homePhones' in body) c.homePhones = strings(body.homePhones);
  if ('businessPhones' in body) c.businessPhones = strings(body.businessPhones);
  if ('emailAddresses' in body) c.emailAddresses = emails(body.emailAddresses);
  if ('categories' in body) c.categories = strings(body.categories);
  c.displayName = str(body.displayName) ?? ([c.givenName, c.surname].filter(Boolean).join(' ') || c.displayName);
}

export function newContact(folderId: string, body: Record<string, unknown>, nowIso: string): ContactData {
  const c: ContactData = {
    id: outlookId(),
    createdDateTime: nowIso,
    lastModifiedDateTime: nowIso,
    changeKey: '',
    categories: [],
    parentFolderId: folderId,
    displayName: '',
    givenName: null,
    surname: null,
    companyName: null,
    department: null,
    jobTitle: null,
    mobilePhone: null,
    homePhones: [],
    businessPhones: [],
    emailAddresses: [],
  };
  applyContactFields(c, body);
  return c;
}
