import { SelectQueryNode, TableNode, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresenceService, setExtensionStatus } from '../../../server/presence/index.js';
import { DEFAULT_TENANT, openStore, type Store } from '../../../server/store/index.js';
import { startPresenceEnv, type PresenceEnv, type PresenceUser } from './support.js';

let env: PresenceEnv;
/** A second connection to the server's database: what another request or instance writes through. */
let other: Store;
const user = (i: number): PresenceUser => env.users[i] ?? expect.fail(`no user ${i}`);

beforeAll(async () => {
  env = await startPresenceEnv({ users: 20, extensions: 3 });
  other = await openStore(env.server.database);
  await env.json('/api/v1/presence-mappings', { method: 'PUT', body: { extensionIds: 'all', mapping: { enabled: true } } });
  for (const u of env.users) env.teams(u, 'Available', 'Available');
  await env.settings({ enabled: true, source: 'both' });
  await env.service.pollTeams(DEFAULT_TENANT);
}, 60_000);
afterAll(async () => {
  await other.close();
  await env.stop();
});

/**
 * The server's store, except that `meanwhile` runs right after its first read of extension
 * statuses, before the cycle reading them writes anything: a status changed between a decision's
 * read and its write. (`meanwhile` writes through `other`: this connection is busy with the read.)
 */
function afterStatusRead(meanwhile: () => Promise<unknown>): Store {
  let read: string | undefined;
  let done = false;
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      const readsStatuses = SelectQueryNode.is(node) && (node.from?.froms ?? []).some((f) => TableNode.is(f) && f.table.identifier.name === 'extension_status');
      if (!done && read === undefined && readsStatuses) read = queryId.queryId;
      return node;
    },
    async transformResult({ queryId, result }) {
      if (done || queryId.queryId !== read) return result;
      done = true;
      await meanwhile();
      return result;
    },
  };
  return { ...env.server.store, db: env.server.store.db.withPlugin(plugin) };
}

/** A presence service on that store (not started: the test runs its cycles). */
const serviceOn = (store: Store) => createPresenceService({ store, config: env.server.ctx.config });

describe('a status changed between a decision and its write', () => {
  it('is not overwritten when it is a protected status set by hand', async () => {
    const u = user(0);
    env.teams(u, 'Busy', 'InACall');
    const store = afterStatusRead(() => setExtensionStatus(other, DEFAULT_TENANT, u.extensionId, { status: 'business_trip', source: 'user' }));
    expect(await serviceOn(store).pollTeams(DEFAULT_TENANT)).toMatchObject({ users: 3, changes: 0, errors: 0 });
    expect(await env.status(u)).toMatchObject({ status: 'business_trip', source: 'user' });
    // Teams' value was taken in all the same: the next poll sees no change to apply.
    expect(await env.service.pollTeams(DEFAULT_TENANT)).toMatchObject({ changes: 0 });
    expect(await env.status(u)).toMatchObject({ status: 'business_trip', source: 'user' });
  });

  it('is decided on again: a calendar takeover meanwhile makes the Teams result the status to restore', async () => {
    const u = user(1);
    const event = await env.addEvent(u, 'busy');
    env.teams(u, 'Away', 'Away');
    // The calendar cycle takes over after the Teams cycle read the statuses, before it wrote.
    const store = afterStatusRead(() => serviceOn(other).pollCalendar(DEFAULT_TENANT));
    await serviceOn(store).pollTeams(DEFAULT_TENANT);
    expect(await env.status(u)).toMatchObject({ status: 'do_not_disturb', source: 'calendar' });
    await env.removeEvent(u, event);
    await env.service.pollCalendar(DEFAULT_TENANT);
    expect(await env.status(u)).toMatchObject({ status: 'away', source: 'teams', teamsAvailability: 'Away' });
  });
});
