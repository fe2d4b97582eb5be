/**
 * server/contacts — Outlook contact sync (SPEC §4): personal contacts of synced users → their
 * personal phonebooks; shared mailboxes → company phonebooks, hidden until visibility is granted.
 *
 * A run (`startContactSync`, recorded in the sync-run log with kind `contacts`) reads the default
 * Contacts folder and every sub-folder of each mailbox in scope with one delta link per folder
 * (`contact_folder`), so runs after the first cost O(changes). A background service starts a
 * contacts run after every successful directory run (new users get a phonebook, users who left the
 * scope lose theirs).
 */
export {
  contactSyncSettings,
  getContactSyncSettings,
  type ContactSyncSettings,
} from './settings.js';
export { saveContactSync } from './configure.js';
export {
  startContactSync,
  waitForContactRun,
  stopContactRuns,
  type ContactSyncDeps,
  type ContactRunOptions,
} from './runner.js';
export { contactSyncService, configureContactFollow, type FollowOptions } from './service.js';
export { forgetContactDeltas } from './mailbox-sync.js';
export { listSharedMailboxes, sharedMailboxView, type SharedMailboxView } from './scope.js';
export { phonebookView, getPhonebook, type PhonebookView } from './phonebooks.js';
export { contactView, listPhonebooks, phonebookContacts, phonebookListQuery, type ContactView, type After } from './queries.js';
export { getVisibility, pruneOrphanGrants, setVisibility, visibilityBody, visibilityView, searchVisibleContacts, type VisibilityView } from './visibility.js';
