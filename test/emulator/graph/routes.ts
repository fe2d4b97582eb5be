import { registerApplications } from './applications.js';
import type { GraphRegistrar } from './area.js';
import { registerBatch } from './batch.js';
import { registerCalendar } from './calendar.js';
import { registerContacts } from './contacts.js';
import { registerDelta } from './delta.js';
import { registerGroups } from './groups.js';
import { registerMembers } from './members.js';
import { registerOrganization } from './organization.js';
import { registerPhotos } from './photos.js';
import { registerPresence } from './presence.js';
import { registerSubscriptions } from './subscriptions/routes.js';
import { registerUsers } from './users.js';

/** Every Graph capability the emulator serves (the router prefers static segments, so order is free). */
export const GRAPH_REGISTRARS: GraphRegistrar[] = [
  registerDelta, registerUsers, registerGroups, registerMembers, registerOrganization, registerContacts, registerPresence,
  registerCalendar, registerPhotos, registerSubscriptions, registerBatch, registerApplications,
];
