import type { ContactTable } from '../store/index.js';
import type { OutlookContact } from './outlook.js';

/** Why a contact is not synced (SPEC §4: a first or last name and at least one phone number). */
export const SKIP_REASONS = {
  no_name: 'no first or last name',
  no_phone: 'no mobile, home or business phone number',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

/** The contact columns Outlook owns. */
export type ContactFields = Omit<ContactTable, 'id' | 'tenant_id' | 'phonebook_id' | 'source_id' | 'folder_id' | 'updated_at'>;

export const digitsOf = (value: string): string => value.replace(/\D/g, '');

/** A value counts as a phone number when it has a few digits ("ask reception" does not). */
const MIN_DIGITS = 3;
const usable = (values: ReadonlyArray<string | null | undefined>): string[] =>
  values.map((v) => (v ?? '').trim()).filter((v) => digitsOf(v).length >= MIN_DIGITS);

export type Checked = { ok: true; fields: ContactFields } | { ok: false; reasons: SkipReason[] };

export function checkContact(contact: OutlookContact): Checked {
  const first = (contact.givenName ?? '').trim();
  const last = (contact.surname ?? '').trim();
  const mobile = usable([contact.mobilePhone]);
  const home = usable(contact.homePhones);
  const business = usable(contact.businessPhones);
  const reasons: SkipReason[] = [];
  if (!first && !last) reasons.push('no_name');
  if (mobile.length + home.length + business.length === 0) reasons.push('no_phone');
  if (reasons.length > 0) return { ok: false, reasons };
  const numbers = [...mobile, ...home, ...business];
  return {
    ok: true,
    fields: {
      first_name: first,
      last_name: last,
      display_name: (contact.displayName ?? '').trim() || [first, last].filter(Boolean).join(' '),
      company: (contact.companyName ?? '').trim(),
      job_title: (contact.jobTitle ?? '').trim(),
      mobile: mobile[0] ?? '',
      home_phone: home[0] ?? '',
      business_phone: business[0] ?? '',
      email: (contact.emailAddresses.find((e) => e.address)?.address ?? '').trim().toLowerCase(),
      search_digits: [...new Set(numbers.map(digitsOf))].join(' '),
      change_key: contact.changeKey ?? null,
    },
  };
}

/** Per-mailbox tally of skipped contacts, reported as one problem with counts per reason. */
export class SkipTally {
  readonly byReason = new Map<SkipReason, number>();
  total = 0;

  add(reasons: SkipReason[]): void {
    this.total++;
    for (const r of reasons) this.byReason.set(r, (this.byReason.get(r) ?? 0) + 1);
  }

  describe(): string {
    const parts = [...this.byReason].map(([r, n]) => `${n} with ${SKIP_REASONS[r]}`);
    return `${this.total} contact${this.total === 1 ? '' : 's'} skipped: ${parts.join(', ')}`;
  }
}
