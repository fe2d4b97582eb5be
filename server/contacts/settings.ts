import { z } from 'zod';
import { AppError } from '../errors.js';
import { settingsRepo, type Store } from '../store/index.js';

export const CONTACT_SYNC_KIND = 'contact-sync';
const VERSION = 1;

const guid = z.string().regex(/^[0-9a-f-]{36}$/i, { message: 'must be an Entra object id (GUID)' });

/** Placeholder in `phonebookName` replaced by the shared mailbox's display name. */
export const MAILBOX_PLACEHOLDER = '{mailbox}';

const personal = z.strictObject({
  enabled: z.boolean().default(false),
  /** Synced users whose contacts are read: all, or members (transitive) of Entra groups. */
  scope: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('all') }),
      z.strictObject({ kind: z.literal('groups'), groupIds: z.array(guid).min(1).max(500) }),
    ])
    .default({ kind: 'all' }),
});

const shared = z.strictObject({
  enabled: z.boolean().default(false),
  mailboxes: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('all') }),
      z.strictObject({ kind: z.literal('selected'), mailboxIds: z.array(guid).min(1).max(500) }),
    ])
    .default({ kind: 'all' }),
  /**
   * Name of the company phonebook of each mailbox; `{mailbox}` stands for the mailbox's display
   * name (one phonebook per mailbox, so a name without it is suffixed when several are synced).
   */
  phonebookName: z.string().trim().min(1).max(200).default(MAILBOX_PLACEHOLDER),
});

export const contactSyncSettings = z.strictObject({
  personal: personal.prefault({}),
  shared: shared.prefault({}),
});
export type ContactSyncSettings = z.output<typeof contactSyncSettings>;

/** Defaults when never saved; a stored document this version cannot read is reported, not guessed. */
export async function getContactSyncSettings(store: Store, tenantId: string): Promise<ContactSyncSettings> {
  const stored = await settingsRepo(store.db).get(tenantId, CONTACT_SYNC_KIND);
  const parsed = contactSyncSettings.safeParse(stored?.value ?? {});
  if (parsed.success) return parsed.data;
  throw new AppError('settings_invalid', 'The stored contact-sync settings are invalid; save them again.', {
    fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

export async function saveContactSyncSettings(store: Store, tenantId: string, value: ContactSyncSettings): Promise<ContactSyncSettings> {
  await settingsRepo(store.db).put(tenantId, CONTACT_SYNC_KIND, VERSION, value);
  return value;
}

/** The company phonebook name of one mailbox. */
export function phonebookNameFor(settings: ContactSyncSettings, mailboxName: string, several: boolean): string {
  const template = settings.shared.phonebookName;
  if (template.includes(MAILBOX_PLACEHOLDER)) return template.split(MAILBOX_PLACEHOLDER).join(mailboxName).trim() || mailboxName;
  return several ? `${template} (${mailboxName})` : template;
}
