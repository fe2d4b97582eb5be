import { describe, expect, it } from 'vitest';
import { createRun } from '../../../server/directory/index.js';
import { PlanWriter } from '../../../server/directory/plan-items.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { useTestStore } from '../../support/store.js';

const db = useTestStore();

describe('the persisted plan', () => {
  it('plans one delete per extension however often a delta round lists the user as removed, so the guard counts extensions', async () => {
    const runId = await createRun(db.store.db, DEFAULT_TENANT, 'change');
    const writer = new PlanWriter(db.store.db, DEFAULT_TENANT, runId);
    const remove = (extensionId: string) => writer.add({ op: 'delete', extensionId, entraId: `entra-${extensionId}`, name: extensionId });
    // A replayed page lists the same removal again.
    for (const id of ['a', 'b', 'a']) remove(id);
    await writer.record({ seen: 3, planned: 0, applied: 0 }, []);
    expect({ deletes: writer.deletes, total: writer.total }).toEqual({ deletes: 2, total: 2 });
    const items = await db.store.db.selectFrom('sync_plan_item').select('seq').where('run_id', '=', runId).execute();
    expect(items).toHaveLength(2);
  });
});
