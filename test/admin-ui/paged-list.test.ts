import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTransport } from '../../server/admin-ui/api/client.js';
import { createApi, type ExtensionFilter } from '../../server/admin-ui/api/endpoints.js';
import { createPagedListStore } from '../../server/admin-ui/stores/paged-list.js';

/** The page's fetch, holding each extension search's answer until the test sends it: answers arrive in any order. */
const held = new Map<string, (response: Response) => void>();
const answer = (q: string, response: Response) => held.get(q)?.(response);
const found = (...numbers: string[]) => Response.json({ items: numbers.map((number) => ({ number })), nextCursor: null });

beforeEach(() => {
  held.clear();
  vi.stubGlobal('fetch', (url: string) => new Promise<Response>((resolve) => held.set(new URL(url, 'http://admin').searchParams.get('q') ?? '', resolve)));
});
afterEach(() => vi.unstubAllGlobals());

/** The extensions list as the page's stores build it: each load searches for the filter of the moment. */
function extensionSearch() {
  const api = createApi(createTransport(() => undefined));
  let filter: ExtensionFilter = { q: '', source: '' };
  const list = createPagedListStore((cursor) => api.extensions.list(filter, cursor));
  return {
    list,
    search: (q: string) => {
      filter = { q, source: '' };
      return list.load();
    },
  };
}

describe('a paged list searched while typing', () => {
  it('shows the latest search when an older one answers after it', async () => {
    const { list, search } = extensionSearch();
    const older = search('20');
    const newer = search('2001');
    answer('2001', found('2001'));
    await newer;
    expect(list.items.value).toEqual([{ number: '2001' }]);
    answer('20', found('2000', '2001', '2002'));
    await older;
    expect(list.items.value).toEqual([{ number: '2001' }]);
    expect(list.loading.value).toBe(false);
  });

  it('stays loading until the latest search answers, and shows no older search’s error', async () => {
    const { list, search } = extensionSearch();
    const older = search('20');
    const newer = search('2001');
    answer('20', Response.json({ error: { code: 'validation_failed', message: 'no' } }, { status: 400 }));
    await older;
    expect(list.loading.value).toBe(true);
    expect(list.problem.value).toBeNull();
    answer('2001', found('2001'));
    await newer;
    expect(list.items.value).toEqual([{ number: '2001' }]);
    expect(list.loading.value).toBe(false);
  });
});
