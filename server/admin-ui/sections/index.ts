import type { FunctionComponent } from 'preact';
import type { MessageKey } from '../i18n/index.js';
import type { SectionId } from '../stores/sections.js';
import { Connection } from './connection.js';
import { Contacts } from './contacts.js';
import { Extensions, Groups } from './extensions.js';
import { GroupSync } from './group-sync.js';
import { Presence } from './presence.js';
import { Schedule } from './schedule.js';
import { Sso } from './sso.js';
import { SyncLog } from './sync-log.js';
import { UserSync } from './user-sync.js';
import { Webhooks } from './webhooks.js';

/** What the navigation shows and which screen each section id renders. */
export const sections: Record<SectionId, { title: MessageKey; component: FunctionComponent }> = {
  connection: { title: 'nav.connection', component: Connection },
  'user-sync': { title: 'nav.userSync', component: UserSync },
  'group-sync': { title: 'nav.groupSync', component: GroupSync },
  contacts: { title: 'nav.contacts', component: Contacts },
  presence: { title: 'nav.presence', component: Presence },
  sso: { title: 'nav.sso', component: Sso },
  schedule: { title: 'nav.schedule', component: Schedule },
  'sync-log': { title: 'nav.syncLog', component: SyncLog },
  extensions: { title: 'nav.extensions', component: Extensions },
  groups: { title: 'nav.groups', component: Groups },
  webhooks: { title: 'nav.webhooks', component: Webhooks },
};
