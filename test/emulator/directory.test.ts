import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
type Json = Record<string, unknown> & { value: Record<string, unknown>[] };
const json = async (res: Response): Promise<Json> => (await res.json()) as Json;
const errorCode = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

beforeAll(async () => {
  emu = await startTestEmulator({ users: 5000, seed: 7 });
});
afterAll(async () => emu.close());

describe('users', () => {
  it('graph-client PageIterator walks all 5,000 users with $top=999', async () => {
    const client = emu.graphClient();
    const first = (await client.api('/users').select('id,displayName,accountEnabled,userType').top(999).get()) as PageCollection;
    const ids = new Set<string>();
    const it = new PageIterator(client, first, (u: { id: string }) => {
      ids.add(u.id);
      return true;
    });
    await it.iterate();
    expect(ids.size).toBe(5000);
    const pages = emu.ops.requests({ path: '/v1.0/users' });
    expect(pages.length).toBe(Math.ceil(5000 / 999));
    expect(pages.every((p) => p.status === 200 && p.appId === emu.clientId)).toBe(true);
  });

  it('without $select returns the default property set only; $select adds the rest', async () => {
    const page = await json(await emu.graphFetch('/users?$top=2'));
    expect(Object.keys(page.value[0] ?? {}).sort()).toEqual(['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName']);
    const sel = await json(await emu.graphFetch('/users?$top=2&$select=id,department,onPremisesExtensionAttributes,employeeId'));
    expect(Object.keys(sel.value[0] ?? {})).toEqual(['id', 'department', 'onPremisesExtensionAttributes', 'employeeId']);
    expect(page['@odata.nextLink']).toMatch(new RegExp(`^${emu.graph}/v1\\.0/users\\?.*\\$skiptoken=`));
  });

  it('$filter: accountEnabled, userType, department, startswith, in, and/or', async () => {
    const all = emu.state.directory.users.map((u) => u.data);
    const count = async (filter: string): Promise<number> => {
      let n = 0;
      let url: string | undefined = `/users?$top=999&$select=id&$filter=${encodeURIComponent(filter)}`;
      while (url) {
        const page = await json(await emu.graphFetch(url));
        n += page.value.length;
        url = (page['@odata.nextLink'] as string | undefined)?.replace(`${emu.graph}/v1.0`, '');
      }
      return n;
    };
    expect(await count('accountEnabled eq false')).toBe(all.filter((u) => !u.accountEnabled).length);
    expect(await count("userType eq 'Guest'")).toBe(all.filter((u) => u.userType === 'Guest').length);
    expect(await count("department eq 'Sales' and accountEnabled eq true")).toBe(all.filter((u) => u.department === 'Sales' && u.accountEnabled).length);
    expect(await count("startswith(displayName,'an')")).toBe(all.filter((u) => u.displayName?.toLowerCase().startsWith('an')).length);
    expect(await count("department in ('IT','Legal') or userType eq 'Guest'")).toBe(all.filter((u) => ['IT', 'Legal'].includes(u.department ?? '') || u.userType === 'Guest').length);
    const first = all[0]?.id ?? '';
    expect(await count(`id eq '${first}'`)).toBe(1);
  });

  it('advanced queries need ConsistencyLevel: eventual and $count=true; /users/$count needs the header', async () => {
    const ne = await emu.graphFetch(`/users?$filter=${encodeURIComponent("userType ne 'Guest'")}`);
    expect(ne.status).toBe(400);
    expect(await errorCode(ne)).toBe('Request_UnsupportedQuery');
    const adv = await json(await emu.graphFetch(`/users?$count=true&$top=5&$filter=${encodeURIComponent("userType ne 'Guest'")}`, { headers: { consistencylevel: 'eventual' } }));
    expect(adv['@odata.count']).toBe(emu.state.directory.users.filter((u) => u.data.userType !== 'Guest').length);
    const noHeader = await emu.graphFetch('/users/$count');
    expect(noHeader.status).toBe(400);
    const cnt = await emu.graphFetch('/users/$count', { headers: { consistencylevel: 'eventual' } });
    expect(cnt.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(Number(await cnt.text())).toBe(5000);
    const top = await emu.graphFetch('/users?$top=1000');
    expect(top.status).toBe(400);
    const body = (await top.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
    expect(body.error.message).toBe("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
    expect(Object.keys(body.error.innerError).sort()).toEqual(['client-request-id', 'date', 'request-id']);
  });

  it('GET /users/{id|upn} and 404 Request_ResourceNotFound', async () => {
    const u = emu.state.directory.users[10]?.data;
    const byUpn = (await (await emu.graphFetch(`/users/${encodeURIComponent(u?.userPrincipalName ?? '')}?$select=id,mail`)).json()) as { id: string };
    expect(byUpn.id).toBe(u?.id);
    const missing = await emu.graphFetch('/users/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(await errorCode(missing)).toBe('Request_ResourceNotFound');
  });
});

describe('groups and membership', () => {
  it('filters Microsoft 365 and security groups; $search needs the header', async () => {
    const unified = await json(await emu.graphFetch(`/groups?$top=999&$filter=${encodeURIComponent("groupTypes/any(c:c eq 'Unified')")}`));
    expect(unified.value.length).toBeGreaterThan(0);
    expect(unified.value.every((g) => (g.groupTypes as string[]).includes('Unified'))).toBe(true);
    const security = await json(await emu.graphFetch(`/groups?$top=999&$filter=${encodeURIComponent('securityEnabled eq true and mailEnabled eq false')}`));
    expect(security.value.every((g) => g.securityEnabled === true && g.mailEnabled === false)).toBe(true);
    expect((await emu.graphFetch('/groups?$search="displayName:dept"')).status).toBe(400);
    const search = await json(await emu.graphFetch('/groups?$search="displayName:dept"&$select=displayName', { headers: { consistencylevel: 'eventual' } }));
    expect(search.value.length).toBeGreaterThan(0);
    expect(search.value.every((g) => String(g.displayName).startsWith('Dept'))).toBe(true);
  });

  it('members, transitiveMembers (with the user cast) and memberOf agree with nesting', async () => {
    const dir = emu.state.directory;
    const nested = dir.groups.find((g) => [...g.members].some((m) => dir.findGroup(m)));
    if (!nested) throw new Error('seed has no nested group');
    const direct = await json(await emu.graphFetch(`/groups/${nested.data.id}/members?$top=999`));
    expect(direct.value.some((m) => m['@odata.type'] === '#microsoft.graph.group')).toBe(true);
    const users = await json(await emu.graphFetch(`/groups/${nested.data.id}/transitiveMembers/microsoft.graph.user?$top=999&$select=id`));
    const expected = dir.transitiveMembers(nested).filter((id) => dir.findUser(id));
    expect(users.value.map((u) => u.id).sort()).toEqual([...expected].sort());
    const member = expected[0] ?? '';
    const memberOf = await json(await emu.graphFetch(`/users/${member}/transitiveMemberOf`));
    expect(memberOf.value.map((g) => g.id)).toContain(nested.data.id);
  });

  it('missing permission → 403 Authorization_RequestDenied; expired tokens → 401', async () => {
    emu.ops.setPermissions(['User.Read.All'], emu.clientId);
    emu.msal().clearCache();
    const denied = await emu.graphFetch('/groups');
    expect(denied.status).toBe(403);
    expect(await errorCode(denied)).toBe('Authorization_RequestDenied');
    emu.ops.expireTokens();
    const expired = await emu.graphFetch('/users?$top=1');
    expect(expired.status).toBe(401);
    expect(await errorCode(expired)).toBe('InvalidAuthenticationToken');
    emu.ops.resetAll();
    emu.msal().clearCache();
    expect((await emu.graphFetch('/groups?$top=1')).status).toBe(200);
  });

  it('organization returns the tenant and its verified domain', async () => {
    const org = await json(await emu.graphFetch('/organization'));
    expect(org.value[0]).toMatchObject({ id: emu.tenantId, verifiedDomains: [expect.objectContaining({ name: emu.domain, isDefault: true })] });
  });
});
