import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { hashToken, nowIso, type SsoChallengeTable, type Store } from '../store/index.js';
import { ssoError } from './errors.js';
import { ssoTunables } from './tunables.js';

/**
 * Single-use, short-lived sign-in challenges kept server-side (any instance can finish a flow
 * another one started): the web flow's state with its PKCE verifier and nonce, and the nonces an
 * SDK asks for before an ID-token exchange. Only hashes of state and nonce are used as keys.
 * Used rows stay for a day, so a replayed callback is told apart from a forged one.
 */
const KEEP_USED_MS = 86_400_000;

const random = (): string => randomBytes(32).toString('base64url');
const verifierContext = (id: string): string => `sso.code_verifier:${id}`;

async function insertChallenge(store: Store, row: Omit<Selectable<SsoChallengeTable>, 'expires_at' | 'used_at' | 'created_at'>) {
  const now = Date.now();
  await store.db
    .deleteFrom('sso_challenge')
    .where('expires_at', '<', new Date(now - KEEP_USED_MS).toISOString())
    .execute();
  await store.db
    .insertInto('sso_challenge')
    .values({
      ...row,
      expires_at: new Date(now + ssoTunables(store).challengeTtlMs).toISOString(),
      used_at: null,
      created_at: new Date(now).toISOString(),
    })
    .execute();
}

type Outcome = { row: Selectable<SsoChallengeTable> } | { problem: 'unknown' | 'used' | 'expired' };

/** Marks the challenge used, exactly once, or says why it cannot be. */
async function consume(store: Store, id: string, kind: string, accept?: (row: Selectable<SsoChallengeTable>) => boolean): Promise<Outcome> {
  const row = await store.db.selectFrom('sso_challenge').selectAll().where('id', '=', id).where('kind', '=', kind).executeTakeFirst();
  if (!row || (accept && !accept(row))) return { problem: 'unknown' };
  if (row.used_at) return { problem: 'used' };
  if (row.expires_at <= nowIso()) return { problem: 'expired' };
  const result = await store.db
    .updateTable('sso_challenge')
    .set({ used_at: nowIso() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? { row } : { problem: 'used' };
}

export interface LoginChallenge {
  state: string;
  nonce: string;
  codeChallenge: string;
}

export interface StartedLogin {
  tenantId: string;
  redirectUri: string;
  returnTo: string;
  /** Ties the flow to the browser that started it (an HttpOnly cookie). */
  browserBinder: string;
}

export async function createLoginChallenge(store: Store, login: StartedLogin): Promise<LoginChallenge> {
  const state = random();
  const nonce = random();
  const verifier = random();
  const id = hashToken(state);
  await insertChallenge(store, {
    id,
    tenant_id: login.tenantId,
    kind: 'login',
    nonce,
    code_verifier: store.secrets.seal(verifier, verifierContext(id)),
    browser_hash: hashToken(login.browserBinder),
    redirect_uri: login.redirectUri,
    return_to: login.returnTo,
  });
  return { state, nonce, codeChallenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface FinishingLogin {
  tenantId: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
}

/** The flow a callback's `state` belongs to; refuses unknown, other-browser, expired and replayed states. */
export async function consumeLoginChallenge(store: Store, state: string, browserBinder: string | undefined): Promise<FinishingLogin> {
  const id = hashToken(state);
  const outcome = await consume(store, id, 'login', (row) => row.browser_hash === hashToken(browserBinder ?? ''));
  if ('problem' in outcome) {
    if (outcome.problem === 'used') {
      throw ssoError('sso_code_replayed', 'This sign-in response was already used.', { hint: 'Start the sign-in again.' });
    }
    if (outcome.problem === 'expired') {
      throw ssoError('sso_state_expired', 'The sign-in took too long and has expired.', { hint: 'Start the sign-in again.' });
    }
    throw ssoError('sso_state_invalid', 'The sign-in response does not belong to a sign-in started in this browser.', {
      hint: 'Start the sign-in again from the application.',
    });
  }
  const { row } = outcome;
  return {
    tenantId: row.tenant_id,
    nonce: row.nonce,
    codeVerifier: store.secrets.open(row.code_verifier ?? '', verifierContext(id)),
    redirectUri: row.redirect_uri ?? '',
    returnTo: row.return_to ?? '',
  };
}

/** A nonce for an SDK sign-in, to be echoed in the ID token and sent back with it. */
export async function createExchangeNonce(store: Store, tenantId: string): Promise<string> {
  const nonce = random();
  await insertChallenge(store, {
    id: hashToken(nonce),
    tenant_id: tenantId,
    kind: 'nonce',
    nonce,
    code_verifier: null,
    browser_hash: null,
    redirect_uri: null,
    return_to: null,
  });
  return nonce;
}

/** Accepts a nonce this server issued to the tenant, once, before it expires. */
export async function consumeExchangeNonce(store: Store, tenantId: string, nonce: string): Promise<void> {
  const outcome = await consume(store, hashToken(nonce), 'nonce', (row) => row.tenant_id === tenantId);
  if ('problem' in outcome) {
    const why = { unknown: 'was not issued by this server', used: 'was already used', expired: 'has expired' }[outcome.problem];
    throw ssoError('sso_nonce_mismatch', `The nonce ${why}.`, { reason: outcome.problem, hint: 'Start the sign-in again.' });
  }
}

/**
 * Whether this server issued the nonce for an SDK sign-in (to any tenant; used, expired or not).
 * Used rows are kept for a day, longer than any ID token that carries one stays acceptable.
 */
export async function isIssuedNonce(store: Store, nonce: string): Promise<boolean> {
  const row = await store.db.selectFrom('sso_challenge').select('id').where('id', '=', hashToken(nonce)).where('kind', '=', 'nonce').executeTakeFirst();
  return row !== undefined;
}
