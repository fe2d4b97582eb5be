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

/**
 * Follows `@odata.nextLink` and yields one page at a time. The next page is fetched while the
 * caller works on the current one (one page ahead, never more), so a full directory streams through
 * at the speed of the slower side without being held in memory.
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
  let next: Promise<RawPage<T>> | undefined = fetchPage(first, true);
  while (next) {
    const page: RawPage<T> = await next;
    const link = page['@odata.nextLink'];
    next = link ? fetchPage(link, false) : undefined;
    // A consumer that stops early must not leave an unhandled rejection behind.
    next?.catch(() => undefined);
    yield page;
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
