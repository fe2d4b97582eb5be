import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';
import { msalNetworkClient, startEmulator, trustEmulatorGlobally, type Emulator, type EmulatorOptions } from '../emulator/index.js';

export interface TestEmulator extends Emulator {
  /** msal-node confidential client for the read app (or the admin app). */
  msal(admin?: boolean): ConfidentialClientApplication;
  /** App-only Graph access token (cached by MSAL like production code). */
  appToken(admin?: boolean): Promise<string>;
  /** graph-client bound to the emulator with the app's token. */
  graphClient(admin?: boolean): Client;
  /** Raw fetch against Graph v1.0 with the app's token; path like "/users?$top=1". */
  graphFetch(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string>; admin?: boolean }): Promise<Response>;
  /** JSON call to the control API. */
  controlApi(path: string, init?: { method?: string; body?: unknown }): Promise<unknown>;
}

/**
 * Starts an emulator on an ephemeral loopback port and makes this process's fetch trust its CA
 * (undone by close()). Used by every suite that talks to "Microsoft".
 */
export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator(opts);
  const restoreTrust = trustEmulatorGlobally(emu.caPem);
  const network = msalNetworkClient(emu.caPem);
  const host = new URL(emu.authority).host;
  const clients = new Map<boolean, ConfidentialClientApplication>();
  const msal = (admin = false): ConfidentialClientApplication => {
    let c = clients.get(admin);
    if (!c) {
      c = new ConfidentialClientApplication({
        auth: {
          clientId: admin ? emu.adminClientId : emu.clientId,
          clientSecret: admin ? emu.adminClientSecret : emu.clientSecret,
          authority: `${emu.authority}/${emu.tenantId}`,
          knownAuthorities: [host],
        },
        system: { networkClient: network },
      });
      clients.set(admin, c);
    }
    return c;
  };
  const appToken = async (admin = false): Promise<string> => {
    const r = await msal(admin).acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    if (!r) throw new Error('no token');
    return r.accessToken;
  };
  return {
    ...emu,
    get lastSeed() {
      return emu.lastSeed;
    },
    msal,
    appToken,
    graphClient: (admin = false) =>
      Client.init({
        authProvider: (done) => {
          appToken(admin).then((t) => done(null, t), (e: unknown) => done(e as Error, null));
        },
        baseUrl: emu.graph,
        defaultVersion: 'v1.0',
        customHosts: new Set([new URL(emu.graph).hostname]),
      }),
    async graphFetch(path, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${await appToken(init.admin)}`, ...init.headers };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${emu.graph}/v1.0${path}`, { method: init.method ?? 'GET', headers, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
    },
    async controlApi(path, init = {}) {
      const res = await fetch(`${emu.control}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return res.status === 204 ? undefined : ((await res.json()) as unknown);
    },
    async close() {
      restoreTrust();
      await emu.close();
    },
  };
}
