import { z } from 'zod';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { clientSecretContext, graphErrorOf, transportFor } from '../graph/index.js';
import { integrationRepo, type Store } from '../store/index.js';
import { presenceScope } from './grants.js';

/**
 * The delegated calls behind presence subscriptions: redeeming a user's refresh token at the
 * Entra token endpoint and managing `/subscriptions` with the resulting token. The app-only Graph
 * client cannot do this (Graph refuses app-only presence subscriptions), so these go straight
 * through the Graph transport (GRAPH_CA_FILE trusted the same way). Tokens never reach errors.
 */
type Deps = { store: Store; config: Pick<Config, 'graphCaFile'> };

const tokenAnswer = z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1).optional() });
const subscriptionAnswer = z.object({ id: z.string().min(1), expirationDateTime: z.string() });
const entraError = z.object({ error: z.string().optional() });

const failed = (what: string, status: number, code: string | undefined) =>
  new AppError('presence_subscription_failed', `${what} failed (HTTP ${status}${code ? `, ${code}` : ''}).`, { status, code: code ?? null });

async function integration(deps: Deps, tenantId: string) {
  const row = await integrationRepo(deps.store.db).get(tenantId);
  if (!row || row.status !== 'connected') throw new AppError('integration_not_connected', 'The Microsoft 365 integration is not connected.');
  return row;
}

export interface DelegatedToken {
  accessToken: string;
  /** Entra rotates refresh tokens: the one to keep (absent when Entra kept the old one). */
  refreshToken: string | undefined;
}

/** A delegated Graph token for Presence.Read.All from the user's refresh token. */
export async function redeemPresenceGrant(deps: Deps, tenantId: string, refreshToken: string): Promise<DelegatedToken> {
  const row = await integration(deps, tenantId);
  const url = `${row.authority_host.replace(/\/+$/, '')}/${row.entra_tenant_id}/oauth2/v2.0/token`;
  const body = new URLSearchParams({
    client_id: row.client_id,
    client_secret: deps.store.secrets.open(row.client_secret, clientSecretContext(tenantId)),
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    scope: `offline_access ${presenceScope(row.graph_endpoint)}`,
  });
  const response = await transportFor(deps.config.graphCaFile).fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  const json: unknown = await response.json().catch(() => ({}));
  const ok = tokenAnswer.safeParse(json);
  if (!response.ok || !ok.success) throw failed('Redeeming the delegated grant', response.status, entraError.safeParse(json).data?.error);
  return { accessToken: ok.data.access_token, refreshToken: ok.data.refresh_token };
}

async function graphCall(deps: Deps, tenantId: string, token: string, path: string, method: 'POST' | 'PATCH' | 'DELETE', body?: unknown) {
  const row = await integration(deps, tenantId);
  const response = await transportFor(deps.config.graphCaFile).fetch(`${row.graph_endpoint.replace(/\/+$/, '')}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    // Creation waits for Graph's validation handshake with our PUBLIC_URL.
    signal: AbortSignal.timeout(30_000),
  });
  const json: unknown = response.status === 204 ? {} : await response.json().catch(() => ({}));
  return { status: response.status, ok: response.ok, json, code: graphErrorOf(response.status, json)?.code || undefined };
}

/** Graph's resource for the presence of these users (at most 650). */
export const presenceResource = (objectIds: readonly string[]) => `/communications/presences?$filter=id in (${objectIds.map((id) => `'${id}'`).join(',')})`;

export interface PresenceSubscriptionRequest {
  objectIds: readonly string[];
  publicUrl: string;
  clientState: string;
  expiresAt: Date;
}

export async function createPresenceSubscription(deps: Deps, tenantId: string, token: string, request: PresenceSubscriptionRequest) {
  const answer = await graphCall(deps, tenantId, token, '/subscriptions', 'POST', {
    changeType: 'updated',
    resource: presenceResource(request.objectIds),
    notificationUrl: `${request.publicUrl}/graph/notifications`,
    lifecycleNotificationUrl: `${request.publicUrl}/graph/lifecycle`,
    expirationDateTime: request.expiresAt.toISOString(),
    clientState: request.clientState,
  });
  const created = subscriptionAnswer.safeParse(answer.json);
  if (!answer.ok || !created.success) throw failed('Creating the presence subscription', answer.status, answer.code);
  return created.data;
}

/** Extends a subscription; null when Graph no longer knows it. */
export async function renewPresenceSubscription(deps: Deps, tenantId: string, token: string, id: string, expiresAt: Date) {
  const answer = await graphCall(deps, tenantId, token, `/subscriptions/${encodeURIComponent(id)}`, 'PATCH', { expirationDateTime: expiresAt.toISOString() });
  if (answer.status === 404) return null;
  const renewed = subscriptionAnswer.safeParse(answer.json);
  if (!answer.ok || !renewed.success) throw failed('Renewing the presence subscription', answer.status, answer.code);
  return renewed.data;
}
