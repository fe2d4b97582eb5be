import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;

/** Candidate numbers fetched per window once a free one is found. */
const WINDOW = 10_000n;

/**
 * Which extension numbers are taken, looked up through the (tenant_id, number) index as a run
 * needs them — never the whole table, so a run that creates nothing reads no numbers and one
 * that creates k reads O(k) plus an index count over the taken block before the first gap.
 * Numbers planned in this run are kept in memory on top of the database.
 */
export class NumberBook {
  /** number → owning extension id (or a planned marker); `null` = freed earlier in this run. */
  private readonly known = new Map<string, string | null>();

  constructor(
    private readonly db: Db,
    private readonly tenantId: string,
  ) {}

  /** Loads the owners of `numbers` that this run has not looked at yet. */
  async load(numbers: Iterable<string>): Promise<void> {
    const wanted = [...new Set(numbers)].filter((n) => !this.known.has(n));
    for (let i = 0; i < wanted.length; i += 500) {
      const slice = wanted.slice(i, i + 500);
      const rows = await this.db.selectFrom('extension').select(['number', 'id']).where('tenant_id', '=', this.tenantId).where('number', 'in', slice).execute();
      const owners = new Map(rows.map((r) => [r.number, r.id]));
      for (const n of slice) this.known.set(n, owners.get(n) ?? null);
    }
  }

  /** The owner of a loaded number (undefined when free). */
  owner(number: string): string | undefined {
    return this.known.get(number) ?? undefined;
  }

  take(number: string, owner: string): void {
    this.known.set(number, owner);
  }

  free(number: string): void {
    this.known.set(number, null);
  }

  /** Taken numbers of canonical form (no leading zeros) in [lo, hi], split by length so text order is numeric order. */
  private async takenIn(lo: bigint, hi: bigint, count: true): Promise<number>;
  private async takenIn(lo: bigint, hi: bigint, count: false): Promise<string[]>;
  private async takenIn(lo: bigint, hi: bigint, count: boolean): Promise<number | string[]> {
    let total = 0;
    const found: string[] = [];
    for (let length = lo.toString().length; length <= hi.toString().length; length++) {
      const low = length === 1 ? lo : bigMax(lo, 10n ** BigInt(length - 1));
      const high = bigMin(hi, 10n ** BigInt(length) - 1n);
      const query = this.db
        .selectFrom('extension')
        .where('tenant_id', '=', this.tenantId)
        .where(sql<number>`length(number)`, '=', length)
        .where('number', '>=', low.toString())
        .where('number', '<=', high.toString());
      if (count) total += Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      else found.push(...(await query.select('number').execute()).map((r) => r.number));
    }
    return count ? total : found;
  }

  private async full(lo: bigint, hi: bigint): Promise<boolean> {
    return BigInt(await this.takenIn(lo, hi, true)) === hi - lo + 1n;
  }

  /** The first number ≥ from (≤ last) not in the database: galloping, then binary search, over index counts. */
  async firstFree(from: bigint, last: bigint): Promise<bigint | undefined> {
    let lo = from;
    let size = 1n;
    for (;;) {
      if (lo > last) return undefined;
      const hi = bigMin(lo + size - 1n, last);
      if (!(await this.full(lo, hi))) return this.bisect(lo, hi);
      lo = hi + 1n;
      size *= 2n;
    }
  }

  private async bisect(lo: bigint, hi: bigint): Promise<bigint> {
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      if (await this.full(lo, mid)) lo = mid + 1n;
      else hi = mid;
    }
    return lo;
  }

  /** Free numbers of the window [from, from + WINDOW) ∩ [.., last], in order. */
  async freeWindow(from: bigint, last: bigint): Promise<{ free: string[]; next: bigint }> {
    const hi = bigMin(from + WINDOW - 1n, last);
    const taken = new Set(await this.takenIn(from, hi, false));
    const free: string[] = [];
    for (let n = from; n <= hi; n++) {
      const s = n.toString();
      if (!taken.has(s) && this.owner(s) === undefined) free.push(s);
    }
    return { free, next: hi + 1n };
  }
}

const bigMax = (a: bigint, b: bigint) => (a > b ? a : b);
const bigMin = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * Automatic numbering: the first free numbers at or above `start` (and not above `end`). The
 * cursor only moves forward within one run; `reserve` fetches enough free numbers for a page
 * before it is planned, `next` hands them out in order.
 */
export function createAllocator(book: NumberBook, start: string, end: string | undefined) {
  let cursor: bigint | undefined = BigInt(start);
  const last = end === undefined ? 10n ** 15n - 1n : BigInt(end);
  let pool: string[] = [];
  let head = 0;
  return {
    /** Returns how many numbers are ready (fewer than `count` when the range runs out). */
    async reserve(count: number): Promise<number> {
      pool = pool.slice(head);
      head = 0;
      while (pool.length < count && cursor !== undefined) {
        const first: bigint | undefined = await book.firstFree(cursor, last);
        if (first === undefined) {
          cursor = undefined;
          break;
        }
        const window = await book.freeWindow(first, last);
        pool.push(...window.free);
        cursor = window.next;
      }
      return pool.length;
    },
    next: (): string | undefined => pool[head++],
  };
}
