import { z } from 'zod';
import type { QueryValue, Requester } from './request.js';

export interface PageOptions<T> {
  /** Schema of one item of `value`. */
  item: z.ZodType<T>;
  select?: readonly string[];
  query?: Record<string, QueryValue>;
  /** Sent with every page (e.g. `ConsistencyLevel: eventual`, which Graph does not carry to nextLinks). */
  headers?: Record<string, string>;
}

export interface DeltaPage<T> {
  items: T[];
  /** Present on the last page of a round: keep it for the next round. */
  deltaLink?: string;
}

function pageSchema<T>(item: z.ZodType<T>) {
  return z.object({
    value: z.array(item),
    '@odata.nextLink': z.string().optional(),
    '@odata.deltaLink': z.string().optional(),
  });
}
type RawPage<T> = z.infer<ReturnType<typeof pageSchema<T>>>;

/** Pages read ahead of the caller: Graph (and the network) prepare them while the caller works; more bought nothing measurable. */
const PAGES_AHEAD = 4;

/**
 * Follows `@odata.nextLink` and yields one page at a time. Up to PAGES_AHEAD pages are fetched
 * and parsed while the caller works on the current one, so a full directory streams through at
 * the speed of the slower side without being held in memory.
 */
async function* follow<T>(requester: Requester, first: string, options: PageOptions<T>): AsyncGenerator<RawPage<T>> {
  const schema = pageSchema(options.item);
  const headers = options.headers ?? {};
  const fetchPage = (url: string, initial: boolean) =>
    requester.request(url, {
      schema,
      headers,
      ...(initial && options.select ? { select: options.select } : {}),
      ...(initial && options.query ? { query: options.query } : {}),
    });
  const ahead: Array<Promise<RawPage<T>>> = [];
  /** A next link not fetched yet because enough pages are waiting. */
  let held: string | undefined;
  let closed = false;
  const fetchNext = (url: string, initial: boolean) => {
    const page = fetchPage(url, initial);
    ahead.push(page);
    // Runs before the caller sees the page (registered first); a failure reaches the caller through `ahead`.
    void page.then((p) => {
      const link = p['@odata.nextLink'];
      if (!link || closed) return;
      if (ahead.length < PAGES_AHEAD) fetchNext(link, false);
      else held = link;
    }, () => undefined);
  };
  fetchNext(first, true);
  try {
    for (let next = ahead.shift(); next; next = ahead.shift()) {
      const page = await next;
      if (held !== undefined) {
        const link = held;
        held = undefined;
        fetchNext(link, false);
      }
      yield page;
    }
  } finally {
    // A caller that stops early starts no further requests.
    closed = true;
  }
}

export async function* pages<T>(requester: Requester, path: string, options: PageOptions<T>): AsyncGenerator<T[]> {
  for await (const page of follow(requester, path, options)) yield page.value;
}

/**
 * One delta round: from `/users/delta?…` (first round) or a stored deltaLink, to the next
 * deltaLink. An expired token throws AppError `graph_delta_expired`: drop it and start a full round.
 */
export async function* deltaPages<T>(
  requester: Requester,
  pathOrLink: string,
  options: PageOptions<T>,
): AsyncGenerator<DeltaPage<T>> {
  for await (const page of follow(requester, pathOrLink, options)) {
    const deltaLink = page['@odata.deltaLink'];
    yield deltaLink ? { items: page.value, deltaLink } : { items: page.value };
  }
}
