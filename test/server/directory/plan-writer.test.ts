import { describe, expect, it } from 'vitest';
import { createRun } from '../../../server/directory/index.js';
import { PlanWriter } from '../../../server/directory/plan-items.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { useTestStore } from '../../support/store.js';

const db = useTestStore();

describe('the persisted plan', () => {
  it('withdraws the steps of a user listed again, written or not, so the guard counts only the deletes left', async () => {
    const runId = await createRun(db.store.db, DEFAULT_TENANT, 'change');
    const writer = new PlanWriter(db.store.db, DEFAULT_TENANT, runId);
    const remove = (id: string) => writer.add({ op: 'delete', extensionId: `ext-${id}`, entraId: id, name: id });
    const progress = { seen: 0, planned: 0, applied: 0 };
    remove('a');
    remove('b');
    await writer.record(progress, []);
    // A replayed page lists both again: a's written delete and c's buffered one give way to the new listing.
    remove('c');
    expect(writer.withdraw('a')).toBe(true);
    expect(writer.withdraw('c')).toBe(true);
    remove('a');
    await writer.record(progress, []);
    expect({ deletes: writer.deletes, total: writer.total }).toEqual({ deletes: 2, total: 3 });
    const items = await db.store.db.selectFrom('sync_plan_item').select(['seq', 'op']).where('run_id', '=', runId).orderBy('seq').execute();
    expect(items).toEqual([
      { seq: 1, op: 'withdrawn' },
      { seq: 2, op: 'delete' },
      { seq: 3, op: 'delete' },
    ]);
  });
});
