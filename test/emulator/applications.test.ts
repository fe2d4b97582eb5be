import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let emu: TestEmulator;
type Application = { id: string; appId: string; passwordCredentials: Array<{ keyId: string; hint: string; endDateTime: string; secretText: null }> };

beforeAll(async () => {
  emu = await startTestEmulator({ users: 5, seed: 3 });
});
afterAll(async () => emu.close());

describe('GET /v1.0/applications', () => {
  it('finds the app by appId and lists its secrets by hint and validity, never their text', async () => {
    const extra = emu.ops.addSecret(undefined, 20);
    const res = await emu.graphFetch(`/applications?$filter=${encodeURIComponent(`appId eq '${emu.clientId}'`)}&$select=appId,passwordCredentials`);
    expect(res.status).toBe(200);
    const { value } = (await res.json()) as { value: Application[] };
    expect(value.map((a) => a.appId)).toEqual([emu.clientId]);
    expect(Object.keys(value[0]!)).toEqual(['appId', 'passwordCredentials']);
    const creds = value[0]!.passwordCredentials;
    expect(creds.map((c) => c.hint)).toEqual(emu.state.readApp.secrets.map((s) => s.value.slice(0, 3)));
    expect(creds.find((c) => c.keyId === extra.keyId)).toMatchObject({ endDateTime: extra.endDateTime, secretText: null });
    expect(JSON.stringify(value)).not.toContain(extra.secretText);
  });

  it('needs Application.Read.All (or Directory.Read.All) and rejects unsupported filters', async () => {
    expect((await emu.graphFetch(`/applications?$filter=${encodeURIComponent("signInAudience eq 'AzureADMyOrg'")}`)).status).toBe(400);
    emu.ops.setPermissions(['User.Read.All']);
    emu.msal().clearCache();
    const denied = await emu.graphFetch('/applications');
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('Authorization_RequestDenied');
    emu.ops.setPermissions(['Application.Read.All']);
    emu.msal().clearCache();
    expect((await emu.graphFetch('/applications')).status).toBe(200);
  });
});
