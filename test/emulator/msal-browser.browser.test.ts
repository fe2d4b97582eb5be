import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type ChromiumSession } from '../support/chromium.js';
import { startEmulator, type Emulator } from './index.js';

let emu: Emulator;
let page: Server;
let origin = '';
let browser: ChromiumSession;

/** msal-browser ships a UMD bundle (global `msal`): no bundler needed for the test page. */
const msalBundle = (): string => {
  const pkg = createRequire(import.meta.url).resolve('@azure/msal-browser/package.json');
  return readFileSync(join(dirname(pkg), 'lib', 'msal-browser.min.js'), 'utf8');
};

function appHtml(upn: string): string {
  const config = {
    auth: { clientId: emu.clientId, authority: `${emu.authority}/${emu.tenantId}`, knownAuthorities: [new URL(emu.authority).host], redirectUri: `${origin}/` },
    cache: { cacheLocation: 'sessionStorage' },
  };
  return `<!doctype html><html><head><title>loading</title><script src="/msal.js"></script></head><body><script>
const pca = new msal.PublicClientApplication(${JSON.stringify(config)});
(async () => {
  await pca.initialize();
  const result = await pca.handleRedirectPromise();
  if (result) {
    window.__result = { claims: result.idTokenClaims, homeAccountId: result.account.homeAccountId, scopes: result.scopes, accessToken: result.accessToken };
    document.title = 'done';
    return;
  }
  await pca.loginRedirect({ scopes: ['User.Read'], loginHint: ${JSON.stringify(upn)} });
})().catch((e) => { window.__error = String(e && e.stack || e); document.title = 'error'; });
</script></body></html>`;
}

beforeAll(async () => {
  emu = await startEmulator({ users: 30 });
  const user = emu.state.directory.users.find((u) => u.data.accountEnabled && u.data.userType === 'Member' && u.data.mail);
  const bundle = msalBundle();
  page = createServer((req, res) => {
    if (req.url === '/msal.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(appHtml(user?.data.userPrincipalName ?? ''));
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  emu.ops.addRedirectUri(`${origin}/`, 'spa');
  browser = await launchChromium({ spkiList: emu.spkiList });
});

afterAll(async () => {
  await browser.close();
  page.close();
  await emu.close();
});

it('msal-browser loginRedirect against the emulator ends with a checked ID token', async () => {
  const tab = await browser.context.newPage();
  await tab.goto(`${origin}/`);
  await tab.waitForFunction(() => document.title === 'done' || document.title === 'error', undefined, { timeout: 20_000 });
  const error = await tab.evaluate(() => (window as unknown as { __error?: string }).__error);
  expect(error).toBeUndefined();
  const result = await tab.evaluate(() => (window as unknown as { __result: { claims: Record<string, unknown>; homeAccountId: string; accessToken: string } }).__result);
  const user = emu.state.directory.users.find((u) => u.data.userPrincipalName === result.claims.preferred_username);
  expect(user).toBeDefined();
  expect(result.claims).toMatchObject({ aud: emu.clientId, tid: emu.tenantId, oid: user?.data.id, iss: `${emu.authority}/${emu.tenantId}/v2.0`, ver: '2.0', name: user?.data.displayName });
  expect(typeof result.claims.nonce).toBe('string');
  expect(result.homeAccountId).toBe(`${user?.data.id ?? ''}.${emu.tenantId}`);
  expect(result.accessToken.split('.')).toHaveLength(3);
  // The code was redeemed cross-origin (SPA), without a secret.
  const tokenCall = emu.ops.requests({ path: '/oauth2/v2.0/token' });
  expect(tokenCall.at(-1)).toMatchObject({ method: 'POST', status: 200, appId: emu.clientId });
});
