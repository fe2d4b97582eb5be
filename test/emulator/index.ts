import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorControl } from './control/mutations.js';
import { createControlArea } from './control/area.js';
import { trustingAgent } from './client.js';
import { createEntraArea } from './entra/area.js';
import { FlowStore } from './entra/flows.js';
import { KeyRing } from './entra/keys.js';
import { EntraSessions } from './entra/session.js';
import { TokenService } from './entra/tokens.js';
import { createGraphArea } from './graph/area.js';
import { GRAPH_REGISTRARS } from './graph/routes.js';
import { SubscriptionManager } from './graph/subscriptions/manager.js';
import { Faults } from './http/faults.js';
import { Pipeline, type Area } from './http/pipeline.js';
import { RequestLog } from './http/request-log.js';
import { startHttpsServer } from './http/server.js';
import type { EmulatorSettings, Services } from './services.js';
import type { RedirectUri } from './state/apps.js';
import type { SeedResult } from './state/seed.js';
import { EmulatorState } from './state/state.js';
import { createCertificateAuthority } from './tls.js';

export { msalNetworkClient, trustEmulatorGlobally, trustingAgent } from './client.js';
export type { FaultConfig } from './http/faults.js';
export type { LoggedRequest } from './http/request-log.js';
export type { EmulatorControl } from './control/mutations.js';
export type { EmulatorState } from './state/state.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Listen address, default 127.0.0.1. URLs always use `publicHost`. */
  host?: string;
  /** Host name in the URLs handed out: 127.0.0.1 (default) or localhost. */
  publicHost?: string;
  /** Seed of the deterministic tenant (default 1). */
  seed?: number;
  /** Number of users (default 200) and groups (default max(6, users/50)). */
  users?: number;
  groups?: number;
  sharedMailboxes?: number;
  guestRatio?: number;
  disabledRatio?: number;
  /** Redirect URIs registered on the read app at start (more via the control API). */
  redirectUris?: RedirectUri[];
  /** Accept http:// loopback notification URLs (Graph requires HTTPS). Default false. */
  allowHttpNotificationUrls?: boolean;
  /** Validation handshake timeout, default 10,000 ms like Graph. */
  validationTimeoutMs?: number;
  /** Batching delay for change notifications, default 50 ms. */
  notificationDelayMs?: number;
  /** Member references per page of an initial groups delta round (default 5,000; Graph does not document its split). */
  memberRefsPerPage?: number;
  /** Directory for the CA file (default: a fresh temp dir, removed on close). */
  caDir?: string;
}

export interface Emulator {
  /** Authority host base, e.g. https://127.0.0.1:PORT; MSAL authority is `${authority}/${tenantId}`. */
  authority: string;
  /** Graph base without version; v1.0 lives at `${graph}/v1.0`. Same origin as `authority`. */
  graph: string;
  /** Control API base, `${authority}/_emulator`. */
  control: string;
  port: number;
  tenantId: string;
  domain: string;
  /** The read app (the permissions ucbridge needs). */
  clientId: string;
  clientSecret: string;
  /** The admin scripting app (write permissions). */
  adminClientId: string;
  adminClientSecret: string;
  caFile: string;
  caPem: string;
  /** Chromium --ignore-certificate-errors-spki-list value (server key and CA key). */
  spkiList: string;
  /** In-process control operations (same as the HTTP control API). */
  ops: EmulatorControl;
  state: EmulatorState;
  services: Services;
  lastSeed: SeedResult | undefined;
  /** The ready-line fields (what `npm run emulator` prints). */
  info(): Record<string, string>;
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const seed = opts.seed ?? 1;
  const state = new EmulatorState({ users: opts.users ?? 200, seed, ...pick(opts) });
  state.seed(state.seedOptions);
  for (const r of opts.redirectUris ?? []) state.readApp.redirectUris.push(r);

  const publicHost = opts.publicHost ?? '127.0.0.1';
  const ca = createCertificateAuthority();
  const leaf = ca.issue(['localhost', '127.0.0.1', '::1']);
  const ownDir = opts.caDir === undefined;
  const caDir = opts.caDir ?? mkdtempSync(join(tmpdir(), 'ucbridge-emulator-'));
  const caFile = join(caDir, 'emulator-ca.pem');
  writeFileSync(caFile, ca.certPem);

  const settings: EmulatorSettings = {
    allowHttpNotificationUrls: opts.allowHttpNotificationUrls ?? false,
    validationTimeoutMs: opts.validationTimeoutMs ?? 10_000,
    notificationDelayMs: opts.notificationDelayMs ?? 50,
    deltaExpiredStatus: 400,
    memberRefsPerPage: opts.memberRefsPerPage ?? 5_000,
  };
  const keys = new KeyRing();
  const sessions = new EntraSessions();
  const outbound = trustingAgent(ca.certPem);
  const svc = {
    state, keys, sessions, settings, ca,
    flows: new FlowStore(),
    tokens: new TokenService(state, keys, sessions),
    subscriptions: new SubscriptionManager(state, settings, outbound),
    faults: new Faults(seed),
    log: new RequestLog(),
  } as Omit<Services, 'pipeline'> as Services;
  const ops = new EmulatorControl(svc);

  let info: Record<string, string> = {};
  const areas: Area[] = [createControlArea(svc, ops, () => info), createGraphArea(svc, GRAPH_REGISTRARS), createEntraArea(svc)];
  svc.pipeline = new Pipeline(areas, svc.faults, svc.log);
  const server = await startHttpsServer({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0, key: leaf.keyPem, cert: leaf.certPem, pipeline: svc.pipeline, originHost: publicHost });

  const origin = `https://${publicHost}:${server.port}`;
  info = {
    authority: origin,
    graph: origin,
    control: `${origin}/_emulator`,
    tenantId: state.tenant.tenantId,
    clientId: state.readApp.clientId,
    clientSecret: state.readApp.secrets[0]?.value ?? '',
    adminClientId: state.adminApp.clientId,
    adminClientSecret: state.adminApp.secrets[0]?.value ?? '',
    caFile,
  };
  return {
    ...(info as Pick<Emulator, 'authority' | 'graph' | 'control' | 'tenantId' | 'clientId' | 'clientSecret' | 'adminClientId' | 'adminClientSecret' | 'caFile'>),
    port: server.port,
    domain: state.tenant.domain,
    caPem: ca.certPem,
    spkiList: [leaf.spkiSha256, ca.spkiSha256].join(','),
    ops,
    state,
    services: svc,
    get lastSeed() {
      return state.lastSeed;
    },
    info: () => ({ ...info }),
    async close() {
      ops.stopPresenceTicker();
      svc.subscriptions.clear();
      await server.close();
      await outbound.close();
      if (ownDir) rmSync(caDir, { recursive: true, force: true });
    },
  };
}

function pick(opts: EmulatorOptions): { groups?: number; sharedMailboxes?: number; guestRatio?: number; disabledRatio?: number } {
  const out: { groups?: number; sharedMailboxes?: number; guestRatio?: number; disabledRatio?: number } = {};
  if (opts.groups !== undefined) out.groups = opts.groups;
  if (opts.sharedMailboxes !== undefined) out.sharedMailboxes = opts.sharedMailboxes;
  if (opts.guestRatio !== undefined) out.guestRatio = opts.guestRatio;
  if (opts.disabledRatio !== undefined) out.disabledRatio = opts.disabledRatio;
  return out;
}
