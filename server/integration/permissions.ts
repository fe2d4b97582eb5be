import { z } from 'zod';
import type { GraphClient } from '../graph/index.js';
import { settingsRepo, type Store } from '../store/index.js';

/** A feature and whether the admin has it switched on. */
type Feature = 'userSync' | 'groupSync' | 'groupScope' | 'contactSync' | 'presenceSync' | 'calendarPresence' | 'reversePresence' | 'secretExpiry';

/** Reading the app's own registration: how the page learns when the client secret expires (SPEC §1.3). */
export const SECRET_EXPIRY_PERMISSION = 'Application.Read.All';

interface PermissionSpec {
  name: string;
  /** Roles that include this permission (a ReadWrite role includes the Read one). */
  satisfiedBy: string[];
  requiredFor: Feature[];
  /** What stops working without it, in the admin's words. */
  disables: string;
  optional?: boolean;
}

/** SPEC §1: the application permissions ucbridge asks for. */
const CATALOGUE: PermissionSpec[] = [
  {
    name: 'User.Read.All',
    satisfiedBy: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    requiredFor: ['userSync'],
    disables: 'User sync: no extensions are created or updated from Entra users.',
  },
  {
    name: 'Group.Read.All',
    satisfiedBy: ['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    requiredFor: ['groupSync', 'groupScope'],
    disables: 'Group sync, and user sync scoped to selected groups.',
  },
  {
    name: 'Directory.Read.All',
    satisfiedBy: ['Directory.Read.All', 'Directory.ReadWrite.All'],
    requiredFor: ['groupScope'],
    disables: 'Nested (transitive) group membership when user sync is scoped to groups.',
  },
  {
    name: 'Contacts.Read',
    satisfiedBy: ['Contacts.Read', 'Contacts.ReadWrite'],
    requiredFor: ['contactSync'],
    disables: 'Outlook contact sync (personal and shared-mailbox phonebooks).',
  },
  {
    name: 'Presence.Read.All',
    satisfiedBy: ['Presence.Read.All', 'Presence.ReadWrite.All'],
    requiredFor: ['presenceSync'],
    disables: 'Teams presence sync to extension statuses.',
  },
  {
    name: 'Calendars.Read',
    satisfiedBy: ['Calendars.Read', 'Calendars.ReadWrite'],
    requiredFor: ['calendarPresence'],
    disables: 'Calendar as a presence source (meetings, out of office).',
  },
  {
    name: 'Presence.ReadWrite.All',
    satisfiedBy: ['Presence.ReadWrite.All'],
    requiredFor: ['reversePresence'],
    disables: 'Setting Teams presence from PBX call state (optional reverse direction).',
    optional: true,
  },
  {
    name: SECRET_EXPIRY_PERMISSION,
    satisfiedBy: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    requiredFor: ['secretExpiry'],
    disables: 'Client secret expiry warnings: the page cannot tell when the secret expires.',
    optional: true,
  },
];

export const permissionReport = z.object({
  name: z.string(),
  granted: z.boolean(),
  /** Needed by a feature that is switched on now. */
  required: z.boolean(),
  optional: z.boolean(),
  requiredFor: z.array(z.string()),
  disables: z.string(),
});
export type PermissionReport = z.infer<typeof permissionReport>;

const loose = z.looseObject({}).catch({});
const enabledOf = (v: unknown) => (v as { enabled?: unknown } | undefined)?.enabled === true;

/** Which features the saved settings switch on (each module owns its own shape; only the switches matter here). */
async function enabledFeatures(store: Store, tenantId: string): Promise<Set<Feature>> {
  const settings = settingsRepo(store.db);
  const read = async (kind: string) => loose.parse((await settings.get(tenantId, kind))?.value ?? {});
  const [users, groups, contacts, presence] = await Promise.all(
    ['user-sync', 'group-sync', 'contact-sync', 'presence-sync'].map(read),
  );
  const features = new Set<Feature>();
  if (enabledOf(users)) features.add('userSync');
  if (enabledOf(users) && (users?.scope as { kind?: unknown } | undefined)?.kind === 'groups') features.add('groupScope');
  if (enabledOf(groups)) features.add('groupSync');
  if (enabledOf(contacts?.personal) || enabledOf(contacts?.shared)) features.add('contactSync');
  if (enabledOf(presence)) {
    if (presence?.source !== 'calendar') features.add('presenceSync');
    if (presence?.source === 'calendar' || presence?.source === 'both') features.add('calendarPresence');
    if (presence?.reverse === true) features.add('reversePresence');
  }
  return features;
}

/**
 * Per-permission report: the token's `roles` claim is what Graph enforces for app-only calls; a
 * cheap directory read confirms the Graph endpoint answers and the grant is effective.
 */
export async function checkPermissions(graph: GraphClient, store: Store, tenantId: string): Promise<PermissionReport[]> {
  const [{ roles }, features] = await Promise.all([graph.token({ refresh: true }), enabledFeatures(store, tenantId)]);
  const granted = new Set(roles);
  let userReadWorks = true;
  try {
    await graph.request('/users', { select: ['id'], query: { $top: 1 } });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'graph_permission_missing') throw error;
    userReadWorks = false;
  }
  return CATALOGUE.map((spec) => {
    const has = spec.satisfiedBy.some((role) => granted.has(role));
    return {
      name: spec.name,
      granted: spec.name === 'User.Read.All' ? has && userReadWorks : has,
      required: spec.requiredFor.some((f) => features.has(f)),
      optional: spec.optional === true,
      requiredFor: spec.requiredFor,
      disables: spec.disables,
    };
  });
}
