/** Phonebooks, who sees them, their contacts and the mailbox folders contact sync reads them from. */
import type { Flag } from './columns.js';

export interface PhonebookTable {
  id: string;
  tenant_id: string;
  kind: string;
  name: string;
  owner_extension_id: string | null;
  source_mailbox_id: string | null;
  source: string;
  read_only: Flag;
  created_at: string;
  updated_at: string;
}

export interface PhonebookVisibilityTable {
  tenant_id: string;
  phonebook_id: string;
  /** `extension` or `group`. */
  subject_kind: string;
  subject_id: string;
}

export interface ContactTable {
  id: string;
  tenant_id: string;
  phonebook_id: string;
  source_id: string | null;
  folder_id: string | null;
  first_name: string;
  last_name: string;
  display_name: string;
  company: string;
  job_title: string;
  mobile: string;
  home_phone: string;
  business_phone: string;
  email: string;
  /** Digits of every number, space-separated, for number search. */
  search_digits: string;
  change_key: string | null;
  updated_at: string;
}

/** A contact folder of a synced mailbox (default Contacts folder and sub-folders) and its delta link. */
export interface ContactFolderTable {
  tenant_id: string;
  phonebook_id: string;
  folder_id: string;
  /** null for the default Contacts folder. */
  parent_id: string | null;
  display_name: string;
  /** Next delta round of this folder; null until a round completed. */
  delta_link: string | null;
  updated_at: string;
}
