import { Clock } from '../util/clock.js';
import { createRng, deriveSeed } from '../util/random.js';
import { ADMIN_APP_ROLES, createApp, READ_APP_ROLES, type AppRegistration } from './apps.js';
import { Directory } from './directory.js';
import { MailboxStore } from './mailbox.js';
import { PresenceStore } from './presence.js';
import { seedDirectory, type SeedOptions, type SeedResult } from './seed.js';
import type { OrganizationData } from './types.js';

export interface TenantInfo {
  tenantId: string;
  /** The initial *.onmicrosoft.com domain; UPNs use it. */
  domain: string;
  displayName: string;
}

/** Everything the emulator knows: the tenant, its directory, mailboxes, presence and app registrations. */
export class EmulatorState {
  readonly clock = new Clock();
  readonly directory = new Directory(this.clock);
  readonly mailboxes: MailboxStore;
  readonly presence: PresenceStore;
  readonly tenant: TenantInfo;
  readonly apps = new Map<string, AppRegistration>();
  readonly readApp: AppRegistration;
  readonly adminApp: AppRegistration;
  /** Users who may grant admin consent (Global Administrators). */
  readonly globalAdmins = new Set<string>();
  lastSeed: SeedResult | undefined;
  seedOptions: SeedOptions;

  constructor(seedOptions: SeedOptions) {
    this.seedOptions = seedOptions;
    const rng = createRng(deriveSeed(seedOptions.seed, 1));
    this.tenant = { tenantId: rng.guid(), domain: 'contoso.onmicrosoft.com', displayName: 'Contoso' };
    this.mailboxes = new MailboxStore(this.clock, seedOptions.seed);
    this.presence = new PresenceStore(this.clock, seedOptions.seed);
    const now = this.clock.now();
    this.readApp = createApp(rng, 'ucbridge', READ_APP_ROLES, now);
    this.adminApp = createApp(rng, 'ucbridge admin scripts', ADMIN_APP_ROLES, now);
    for (const app of [this.readApp, this.adminApp]) this.apps.set(app.clientId, app);
  }

  /** Replaces directory, mailboxes and presence with a freshly seeded tenant (apps are kept). */
  seed(opts: SeedOptions): SeedResult {
    this.seedOptions = opts;
    this.mailboxes.reset(opts.seed);
    this.presence.reset(opts.seed);
    this.lastSeed = seedDirectory(this.directory, opts, this.tenant.domain);
    this.globalAdmins.clear();
    if (this.lastSeed.adminId) this.globalAdmins.add(this.lastSeed.adminId);
    return this.lastSeed;
  }

  organization(): OrganizationData {
    return {
      id: this.tenant.tenantId,
      displayName: this.tenant.displayName,
      verifiedDomains: [{ capabilities: 'Email, OfficeCommunicationsOnline', isDefault: true, isInitial: true, name: this.tenant.domain, type: 'Managed' }],
      countryLetterCode: 'US',
      tenantType: 'AAD',
      createdDateTime: '2022-01-10T08:00:00Z',
    };
  }

  /** Tenant ids and domains the authority accepts in its path. */
  isKnownTenant(segment: string): boolean {
    const s = segment.toLowerCase();
    return s === this.tenant.tenantId || s === this.tenant.domain || s === 'common' || s === 'organizations';
  }
}
