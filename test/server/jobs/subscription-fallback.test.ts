import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { jobsSchemaName } from '../../../server/jobs/index.js';
import { startChangeWorld, type ChangeWorld } from './support.js';

let world: ChangeWorld;
beforeAll(async () => {
  // Nothing listens on the discard port: Graph's validation handshake cannot succeed.
  world = await startChangeWorld({ notifications: false, publicUrl: 'https://127.0.0.1:9', emulator: { validationTimeoutMs: 1000 } });
});
afterAll(async () => {
  await world.stop();
});

/** Names of queued jobs: in the store (embedded runner) or in pg-boss (PostgreSQL). */
async function queuedJobNames(): Promise<string[]> {
  const { store, database } = world.server;
  if (store.dialect === 'sqlite') {
    return (await store.db.selectFrom('job').select('name').where('state', '=', 'queued').execute()).map((j) => j.name);
  }
  const table = sql.table(`${jobsSchemaName(database.databaseSchema)}.job`);
  const rows = await sql<{ name: string }>`select name from ${table} where state in ('created', 'retry')`.execute(store.db);
  return rows.rows.map((r) => r.name);
}

describe('PUBLIC_URL that Graph cannot reach', () => {
  it('falls back to delta polling and says why in the log', async () => {
    const status = await world.json<{ changeTracking: string }>('/api/v1/settings/schedule/status');
    expect(status.body.changeTracking).toBe('polling');
    expect(await world.server.store.db.selectFrom('graph_subscription').selectAll().execute()).toEqual([]);
    expect(world.emu.services.subscriptions.list(world.emu.clientId)).toEqual([]);
    const warning = world.server.logs.find((l) => l.includes('cannot subscribe to Graph change notifications'));
    expect(warning).toContain('"tenantId":"default"');
    expect(await queuedJobNames()).toContain('directory.delta-sync');
  });
});
