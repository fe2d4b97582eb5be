import { isAppError } from '../errors.js';
import { repeat, type Repeating } from '../repeat.js';
import type { Store } from '../store/index.js';
import { closeStaleRuns, CONTACTS_RUN_KIND, startContactSync, startQueuedContactRun, stopContactRuns, tenantsWithQueuedContactRuns, type ContactSyncDeps } from './runner.js';

export interface FollowOptions {
  /** How often finished directory runs are looked for (0 turns following off). */
  pollMs: number;
}
const followOptions = new WeakMap<Store, FollowOptions>();

/** Tests turn following off (or make it fast) for one store. */
export function configureContactFollow(store: Store, options: FollowOptions): void {
  followOptions.set(store, options);
}

/** Codes that only mean "not now": sync is off, another run is busy, the integration is not usable. */
const QUIET = new Set(['contact_sync_not_enabled', 'sync_run_active', 'sync_run_held', 'integration_not_connected', 'integration_disabled']);

/**
 * Tenants whose last successful directory run finished after their last contacts run started:
 * contact sync follows user sync (new users get their phonebook, users who left the scope lose it).
 */
async function tenantsToFollow(store: Store): Promise<Array<{ tenantId: string; trigger: string }>> {
  const [directory, contacts] = await Promise.all([
    store.db
      .selectFrom('sync_run')
      .select(['tenant_id', 'trigger', 'finished_at'])
      .where('kind', '=', 'directory')
      .where('status', '=', 'succeeded')
      .orderBy('finished_at', 'desc')
      .limit(1000)
      .execute(),
    store.db
      .selectFrom('sync_run')
      .select((eb) => ['tenant_id', eb.fn.max('created_at').as('at')])
      .where('kind', '=', CONTACTS_RUN_KIND)
      .groupBy('tenant_id')
      .execute(),
  ]);
  const lastContacts = new Map(contacts.map((c) => [c.tenant_id, String(c.at)]));
  const due = new Map<string, string>();
  for (const run of directory) {
    if (due.has(run.tenant_id) || !run.finished_at) continue;
    const since = lastContacts.get(run.tenant_id);
    if (since === undefined || run.finished_at > since) due.set(run.tenant_id, run.trigger);
    else due.set(run.tenant_id, '');
  }
  return [...due].filter(([, trigger]) => trigger !== '').map(([tenantId, trigger]) => ({ tenantId, trigger }));
}

/**
 * Background side of contact sync: closes runs a dead process left behind, starts queued runs
 * whose slot is free and a contacts run after each successful directory run, and stops running
 * ones with the server.
 */
export function contactSyncService(deps: ContactSyncDeps) {
  let loop: Repeating | undefined;
  // Queued runs whose slot is free: left by a restart, or by an instance that died (scaled out).
  const startQueued = async () => {
    for (const tenantId of await tenantsWithQueuedContactRuns(deps.store)) {
      await startQueuedContactRun(deps, tenantId).catch((error: unknown) => deps.log?.error({ err: error, tenantId }, 'queued contact sync run not started'));
    }
  };
  const tick = async () => {
    await startQueued();
    for (const { tenantId, trigger } of await tenantsToFollow(deps.store)) {
      const runTrigger = trigger === 'initial' || trigger === 'schedule' || trigger === 'change' ? trigger : 'manual';
      await startContactSync(deps, tenantId, { trigger: runTrigger }).catch((error: unknown) => {
        if (!isAppError(error) || !QUIET.has(error.code)) deps.log?.error({ err: error, tenantId }, 'contact sync after directory sync failed to start');
      });
    }
  };
  // The options are read when the timer fires, so a test that turns following off right after
  // start is never surprised by a run.
  const pollMs = () => followOptions.get(deps.store)?.pollMs ?? 5_000;
  return {
    name: 'contact-sync',
    async start() {
      await closeStaleRuns(deps.store, deps.store.dialect === 'sqlite' ? 0 : undefined);
      await startQueued();
      loop = repeat({ everyMs: () => pollMs() || 1_000 }, () => (pollMs() > 0 ? tick() : Promise.resolve()), (error) =>
        deps.log?.error({ err: error }, 'contact sync follow-up check failed'),
      );
    },
    async stop() {
      void loop?.stop();
      await stopContactRuns(deps.store);
    },
  };
}
