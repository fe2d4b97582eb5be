import type { KeyRing } from './entra/keys.js';
import type { FlowStore } from './entra/flows.js';
import type { EntraSessions } from './entra/session.js';
import type { TokenService } from './entra/tokens.js';
import type { SubscriptionManager } from './graph/subscriptions/manager.js';
import type { Faults } from './http/faults.js';
import type { Pipeline } from './http/pipeline.js';
import type { RequestLog } from './http/request-log.js';
import type { EmulatorState } from './state/state.js';
import type { CertificateAuthority } from './tls.js';

export interface EmulatorSettings {
  /** Accept http://127.0.0.1 / http://localhost notification URLs (Graph itself requires HTTPS). */
  allowHttpNotificationUrls: boolean;
  /** How long Graph waits for the validation echo (real: 10 s). */
  validationTimeoutMs: number;
  /** Delay before change notifications are sent, to batch bursts (real Graph: seconds). */
  notificationDelayMs: number;
  /** How an expired directory delta token is answered: 400 syncStateNotFound (default) or 410 Gone. */
  deltaExpiredStatus: 400 | 410;
  /** Member references per page of an initial groups delta round; a bigger group repeats on the next page. */
  memberRefsPerPage: number;
}

/** Everything handlers share; built once by startEmulator. */
export interface Services {
  state: EmulatorState;
  keys: KeyRing;
  sessions: EntraSessions;
  flows: FlowStore;
  tokens: TokenService;
  subscriptions: SubscriptionManager;
  faults: Faults;
  log: RequestLog;
  pipeline: Pipeline;
  ca: CertificateAuthority;
  settings: EmulatorSettings;
}
