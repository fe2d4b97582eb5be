/**
 * server/graph — the only code that talks to Microsoft (Entra token endpoint and Graph).
 *
 * Getting a client for a tenant (what presence, contacts, subscriptions… should do):
 * ```ts
 * const graph = await graphForTenant(ctx, tenantId);          // throws integration_not_connected / _disabled
 * for await (const users of graph.pages('/users', { item: userSchema, select: ['id', 'mail'], query: { $top: 999 } })) …
 * const me = await graph.request('/users/' + id + '/presence', { schema: presenceSchema });
 * const answers = await graph.batch(ids.map((id, i) => ({ id: String(i), method: 'GET', url: `/users/${id}/photo` })));
 * for await (const page of graph.delta(storedLink ?? '/users/delta', { item, select })) … page.deltaLink
 * ```
 * Every call gets the app-only token (msal-node, cached until near expiry, refreshed once on a 401),
 * a shared client-side request budget, Outlook's limit of 4 concurrent requests per mailbox
 * (contacts, calendar paths; ./mailbox-limit.ts), Retry-After / exponential backoff with jitter on 429/503/504
 * and network resets, and typed `AppError`s (codes in ./errors.ts). Responses are validated with
 * the zod schema you pass. Tokens and secrets never appear in errors.
 *
 * Why plain fetch rather than @microsoft/microsoft-graph-client: the SDK's RetryHandler does not
 * retry inner `$batch` items, its custom-host check ignores ports (the emulator runs on one), its
 * `api()` parser needs nextLinks shaped a particular way, and we need our own budget and error
 * mapping anyway; over `transport.fetch` the whole client is a few hundred lines with one retry loop.
 */
export { createGraphClient, type GraphClient, type GraphClientOptions } from './client.js';
export {
  clientSecretContext,
  closeGraphTransports,
  configureGraphClients,
  graphForCredentials,
  graphForTenant,
  recordGraphMetrics,
  transportFor,
  type TenantGraphOptions,
} from './registry.js';
export { graphResource, type GraphCredentials, type AppToken } from './token.js';
export type { GraphMedia, RequestOptions, RequestStats } from './request.js';
export type { PageOptions, DeltaPage } from './paging.js';
export { batchItemErrorInfo, type BatchRequest, type BatchResponse } from './batch.js';
export { graphErrorOf, type GraphErrorInfo } from './errors.js';
export { DEFAULT_BUDGET, type BudgetOptions, type RetryPolicy } from './policy.js';
export { createTransport, type Transport } from './transport.js';
export { createMailboxLimiter, mailboxOf, type MailboxLimiter } from './mailbox-limit.js';
export { mailboxUnreadable, type MailboxUnreadable } from './mailbox-errors.js';
