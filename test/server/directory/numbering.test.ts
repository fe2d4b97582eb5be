import { describe, expect, it } from 'vitest';
import { createAllocator, NumberBook } from '../../../server/directory/number-book.js';
import { DEFAULT_TENANT } from '../../../server/store/index.js';
import { extensionRow } from '../../support/extension-row.js';
import { useTestStore } from '../../support/store.js';

const db = useTestStore();

async function taken(numbers: string[]): Promise<void> {
  for (let i = 0; i < numbers.length; i += 500) {
    const rows = numbers.slice(i, i + 500).map((number) => extensionRow({ number }));
    await db.store.db.insertInto('extension').values(rows).execute();
  }
}

async function allocate(start: string, end: string | undefined, count: number): Promise<Array<string | undefined>> {
  const allocator = createAllocator(new NumberBook(db.store.db, DEFAULT_TENANT), start, end);
  await allocator.reserve(count);
  return Array.from({ length: count }, () => allocator.next());
}

describe('automatic numbering against the database', () => {
  it('hands out the first free numbers at or above start, across a dense block and number lengths', async () => {
    await taken(['95', '96', '97', '98', '99', '100', '101', '103', '0104', '105']);
    // '0104' is not 104: only canonical numbers collide.
    expect(await allocate('95', undefined, 4)).toEqual(['102', '104', '106', '107']);
  });

  it('stops at the end of the range', async () => {
    expect(await allocate('99', '103', 3)).toEqual(['102', undefined, undefined]);
  });

  it('finds a gap after a long taken run', async () => {
    await taken(Array.from({ length: 3000 }, (_, i) => String(5000 + i)).filter((n) => n !== '7777'));
    expect(await allocate('5000', '9999', 2)).toEqual(['7777', '8000']);
  });

  it('looks property numbers up on demand and remembers in-run changes', async () => {
    const book = new NumberBook(db.store.db, DEFAULT_TENANT);
    await book.load(['100', '102']);
    expect(book.owner('100')).toBeDefined();
    expect(book.owner('102')).toBeUndefined();
    book.free('100');
    book.take('102', 'planned:x');
    await book.load(['100', '102']);
    expect(book.owner('100')).toBeUndefined();
    expect(book.owner('102')).toBe('planned:x');
  });
});
