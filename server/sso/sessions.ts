import { randomBytes } from 'node:crypto';
import { presenceGrantRepo, type EndedSignIns } from '../presence/index.js';
import { hashToken, newId, nowIso, type Store } from '../store/index.js';
import { ssoError } from './errors.js';
import { ssoTunables } from './tunables.js';

/**
 * PBX sessions for signed-in users: an opaque short-lived access token and a rotating refresh
 * token, stored only as SHA-256 hashes in `session`. Each refresh replaces the row with a new
 * one of the same family; presenting a refresh token that was already rotated means it leaked
 * (or two copies of a client raced), so the whole family is revoked.
 */
export interface IssuedSession {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  /** Seconds until the refresh token expires. */
  refreshExpiresIn: number;
}

export interface SessionPrincipal {
  sessionId: string;
  tenantId: string;
  extensionId: string;
  familyId: string;
}

/** Why a session ended; `rotated` is the only one that is not a revocation. */
export type RevokeReason = 'rotated' | 'reuse' | 'logout' | 'extension' | 'sso_disabled' | 'integration';

// Prefixes make leaked tokens recognisable to secret scanners.
const newToken = (kind: 'at' | 'rt'): string => `ucb_${kind}_${randomBytes(32).toString('base64url')}`;

export async function issueSession(store: Store, tenantId: string, extensionId: string, familyId = newId()): Promise<IssuedSession> {
  const tunables = ssoTunables(store);
  const accessToken = newToken('at');
  const refreshToken = newToken('rt');
  const now = Date.now();
  const sessionId = newId();
  await store.db
    .insertInto('session')
    .values({
      id: sessionId,
      tenant_id: tenantId,
      extension_id: extensionId,
      access_hash: hashToken(accessToken),
      refresh_hash: hashToken(refreshToken),
      family_id: familyId,
      access_expires_at: new Date(now + tunables.accessTtlMs).toISOString(),
      refresh_expires_at: new Date(now + tunables.refreshTtlMs).toISOString(),
      revoked_at: null,
      revoked_reason: null,
      created_at: new Date(now).toISOString(),
    })
    .execute();
  return {
    sessionId,
    accessToken,
    refreshToken,
    expiresIn: Math.floor(tunables.accessTtlMs / 1000),
    refreshExpiresIn: Math.floor(tunables.refreshTtlMs / 1000),
  };
}

const principalOf = (row: { id: string; tenant_id: string; extension_id: string; family_id: string }): SessionPrincipal => ({
  sessionId: row.id,
  tenantId: row.tenant_id,
  extensionId: row.extension_id,
  familyId: row.family_id,
});

const revokedError = () =>
  ssoError('session_revoked', 'This session has been signed out or revoked.', { hint: 'Sign in again.' });

/** The session an access token belongs to, if it is live. */
export async function sessionForAccessToken(store: Store, accessToken: string): Promise<SessionPrincipal> {
  const row = await store.db.selectFrom('session').selectAll().where('access_hash', '=', hashToken(accessToken)).executeTakeFirst();
  if (!row) throw ssoError('session_invalid', 'The access token is not valid.', { hint: 'Sign in again.' });
  if (row.revoked_at && row.revoked_reason !== 'rotated') throw revokedError();
  if (row.revoked_at || row.access_expires_at <= nowIso()) {
    throw ssoError('session_expired', 'The access token has expired.', { hint: 'Refresh the session with the refresh token.' });
  }
  return principalOf(row);
}

/**
 * Revokes the live sessions matching every given column; answers how many. The delegated presence
 * grants of those sign-ins (Entra refresh tokens) are deleted in the same transaction: they must
 * not outlive the sign-in they came with.
 */
function revokeWhere(
  store: Store,
  reason: RevokeReason,
  match: EndedSignIns,
): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    let update = trx.updateTable('session').set({ revoked_at: nowIso(), revoked_reason: reason }).where('revoked_at', 'is', null);
    for (const [column, value] of Object.entries(match)) update = update.where(column as keyof EndedSignIns, '=', value);
    const result = await update.executeTakeFirst();
    await presenceGrantRepo(store).removeForSignIns(match, trx);
    return Number(result.numUpdatedRows);
  });
}

export const revokeFamily = (store: Store, familyId: string, reason: RevokeReason): Promise<number> =>
  revokeWhere(store, reason, { family_id: familyId });

/** What a refresh token stands for; the caller checks the user is still allowed, then calls `rotate`. */
export interface RefreshGrant {
  principal: SessionPrincipal;
  /** Retires the presented refresh token and issues the next pair of the family. */
  rotate(): Promise<IssuedSession>;
}

/**
 * Looks a refresh token up. A token that was already rotated triggers reuse detection: the
 * family is revoked and `session_refresh_reused` thrown (the caller audits it).
 */
export async function redeemRefreshToken(store: Store, refreshToken: string): Promise<RefreshGrant> {
  const row = await store.db.selectFrom('session').selectAll().where('refresh_hash', '=', hashToken(refreshToken)).executeTakeFirst();
  if (!row) throw ssoError('session_invalid', 'The refresh token is not valid.', { hint: 'Sign in again.' });
  const reused = () =>
    ssoError('session_refresh_reused', 'This refresh token was already used; every session of this sign-in is now revoked.', {
      familyId: row.family_id,
      extensionId: row.extension_id,
      tenantId: row.tenant_id,
      hint: 'Sign in again. If this client did not refresh twice, the token may have been stolen.',
    });
  if (row.revoked_reason === 'rotated') {
    await revokeFamily(store, row.family_id, 'reuse');
    throw reused();
  }
  if (row.revoked_at) throw revokedError();
  if (row.refresh_expires_at <= nowIso()) {
    throw ssoError('session_expired', 'The refresh token has expired.', { hint: 'Sign in again.' });
  }
  return {
    principal: principalOf(row),
    async rotate() {
      const result = await store.db
        .updateTable('session')
        .set({ revoked_at: nowIso(), revoked_reason: 'rotated' })
        .where('id', '=', row.id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      // Someone rotated this token between our read and our write: the same reuse.
      if (Number(result.numUpdatedRows) !== 1) {
        await revokeFamily(store, row.family_id, 'reuse');
        throw reused();
      }
      return issueSession(store, row.tenant_id, row.extension_id, row.family_id);
    },
  };
}

/** Ends the session of a refresh or access token (logout); unknown tokens are ignored. */
export async function endSession(store: Store, token: string): Promise<SessionPrincipal | undefined> {
  const hash = hashToken(token);
  const row = await store.db
    .selectFrom('session')
    .selectAll()
    .where((eb) => eb.or([eb('refresh_hash', '=', hash), eb('access_hash', '=', hash)]))
    .executeTakeFirst();
  if (!row) return undefined;
  await revokeFamily(store, row.family_id, 'logout');
  return principalOf(row);
}

/**
 * Revokes every live session of an extension. The directory module calls this when it disables,
 * deletes or unlinks a synced extension; requests also re-check the extension, so a missed call
 * only delays the end of a session until its next request.
 */
export const revokeSessionsForExtension = (
  store: Store,
  tenantId: string,
  extensionId: string,
  reason: RevokeReason = 'extension',
): Promise<number> => revokeWhere(store, reason, { tenant_id: tenantId, extension_id: extensionId });

/** Revokes every live session of a tenant (SSO turned off, integration disabled or disconnected). */
export const revokeAllSessions = (store: Store, tenantId: string, reason: RevokeReason): Promise<number> =>
  revokeWhere(store, reason, { tenant_id: tenantId });

/**
 * Whether a sign-in (all rotations of one refresh-token family) is still live: not revoked, and its
 * refresh token not expired (nothing could renew it any more). Long-lived streams poll this.
 */
export async function familyAlive(store: Store, familyId: string): Promise<boolean> {
  const row = await store.db
    .selectFrom('session')
    .select('id')
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .where('refresh_expires_at', '>', nowIso())
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Deletes sessions whose refresh token expired before `before`: neither of their tokens can be
 * redeemed any more (a pruned token is answered `session_invalid`, and an expired one could not
 * have been used), and each refresh adds a row, so without this the table grows by a row per
 * signed-in user and refresh, forever.
 */
export async function pruneSessions(store: Store, before: string): Promise<number> {
  const result = await store.db.deleteFrom('session').where('refresh_expires_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
