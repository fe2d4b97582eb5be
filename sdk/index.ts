/**
 * ucbridge SDK: sign users in with Microsoft, and read and change their PBX presence settings.
 * Entry point: {@link createClient}. Strategies: {@link msalAuth}, {@link serverFlowAuth}.
 */
export { createClient, type ClientOptions, type SearchOptions, type UcBridgeClient } from './client.js';
export { serverFlowAuth, type AuthContext, type AuthStrategy, type ServerFlowOptions } from './auth.js';
export { msalAuth, type MsalAuthOptions } from './msal.js';
export { createUcBridgeError, isSessionEnded, SdkErrorCodes, UcBridgeError, type UcBridgeErrorCode } from './errors.js';
export { describeError, errorSentence } from './i18n/index.js';
export {
  localLock,
  memorySessionStore,
  REFRESH_LOCK,
  type AsyncSessionStore,
  type SessionStore,
  type SessionTokensWithExpiry,
  type WithLock,
} from './session.js';
export type { StreamState, SubscribeOptions } from './sse.js';
export type * from './types.js';
