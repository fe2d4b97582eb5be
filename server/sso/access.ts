import type { Selectable } from 'kysely';
import { clientSecretContext } from '../graph/index.js';
import { isGuid } from '../integration/index.js';
import { integrationRepo, type ExtensionTable, type Store } from '../store/index.js';
import type { EntraAuthority } from './entra.js';
import { ssoError } from './errors.js';
import type { SignedInIdentity } from './id-token.js';
import { getSsoSettings, type SsoSettings } from './settings.js';

export type ExtensionRow = Selectable<ExtensionTable>;

/** What SSO needs to know about a tenant whose users may sign in right now. */
export interface TenantSso {
  tenantId: string;
  authority: EntraAuthority;
  clientId: string;
  settings: SsoSettings;
  /** Opens the sealed client secret (only the web flow needs it). */
  clientSecret(): string;
}

/** SSO works only while the admin switch is on and the integration is connected (SPEC §6). */
export async function tenantSso(store: Store, tenantId: string): Promise<TenantSso> {
  const settings = await getSsoSettings(store, tenantId);
  if (!settings.enabled) {
    throw ssoError('sso_disabled', 'Single sign-on is turned off for this PBX.', {
      hint: 'An admin turns it on with PUT /api/v1/settings/sso {"enabled":true}.',
    });
  }
  const row = await integrationRepo(store.db).get(tenantId);
  if (!row || row.status === 'disconnected') {
    throw ssoError('sso_integration_disconnected', 'This PBX is not connected to Microsoft 365.', {
      hint: 'An admin connects it under Integration.',
    });
  }
  if (row.status !== 'connected') {
    throw ssoError('sso_integration_disabled', 'The Microsoft 365 integration of this PBX is disabled.', {
      hint: 'An admin enables it with POST /api/v1/integration/enable.',
    });
  }
  return {
    tenantId,
    authority: { authorityHost: row.authority_host, entraTenantId: row.entra_tenant_id },
    clientId: row.client_id,
    settings,
    clientSecret: () => store.secrets.open(row.client_secret, clientSecretContext(tenantId)),
  };
}

/**
 * The extension a signed-in Entra user owns. Users are matched by `oid` + `tid` only: both are
 * immutable and issued by Entra. An extension synced before its Entra tenant id was recorded is
 * linked on first sign-in when its object id matches. Email and `preferred_username` never link
 * anything — they are mutable, `email` is unverified for work accounts, and a guest or a user of
 * another tenant can carry the same address — they only recognise a local extension, so the
 * refusal can say it is not synced instead of unknown.
 */
export async function findSignedInExtension(store: Store, tenantId: string, identity: SignedInIdentity): Promise<ExtensionRow> {
  const byObjectId = await store.db
    .selectFrom('extension')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('entra_object_id', '=', identity.oid)
    .executeTakeFirst();
  let extension = byObjectId;
  // Synced before the tenant id was recorded, or stamped with the domain the admin typed (before
  // the integration stored the GUID): `tid` was already checked against the integration's tenant.
  if (extension?.source === 'entra' && !isGuid(extension.entra_tenant_id)) {
    await store.db.updateTable('extension').set({ entra_tenant_id: identity.tid }).where('id', '=', extension.id).execute();
    extension = { ...extension, entra_tenant_id: identity.tid };
  }
  if (extension && extension.source === 'entra' && extension.entra_tenant_id?.toLowerCase() === identity.tid.toLowerCase()) {
    if (extension.enabled !== 1) {
      throw ssoError('sso_extension_disabled', `Extension ${extension.number} is disabled.`, {
        extensionId: extension.id,
        hint: 'Ask your PBX admin to enable your extension.',
      });
    }
    return extension;
  }
  const hints = [identity.preferredUsername, identity.email].flatMap((h) => (h ? [h.toLowerCase()] : []));
  const byAddress =
    extension ??
    (hints.length === 0
      ? undefined
      : await store.db
          .selectFrom('extension')
          .select('id')
          .where('tenant_id', '=', tenantId)
          .where((eb) => eb.or([eb(eb.fn('lower', ['email']), 'in', hints), eb(eb.fn('lower', ['user_principal_name']), 'in', hints)]))
          .executeTakeFirst());
  if (byAddress) {
    throw ssoError('sso_user_not_synced', 'Your extension is not linked to your Microsoft account.', {
      extensionId: byAddress.id,
      hint: 'Ask your PBX admin to sync your account from Microsoft Entra ID (or link the existing extension).',
    });
  }
  throw ssoError('sso_user_unknown', 'No extension belongs to your Microsoft account.', {
    hint: 'Ask your PBX admin to include your account in the user sync.',
  });
}

/**
 * The extension of a live session, refused when it is gone, disabled, no longer synced, or synced
 * from another Entra tenant than the one connected now (the admin re-pointed the integration).
 */
export async function sessionExtension(store: Store, sso: TenantSso, extensionId: string): Promise<ExtensionRow | string> {
  const tenantId = sso.tenantId;
  const extension = await store.db
    .selectFrom('extension')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', extensionId)
    .executeTakeFirst();
  if (!extension) return 'extension deleted';
  if (extension.enabled !== 1) return 'extension disabled';
  if (extension.source !== 'entra' || !extension.entra_object_id) return 'extension unlinked from Microsoft Entra ID';
  const connected = sso.authority.entraTenantId.toLowerCase();
  if (isGuid(extension.entra_tenant_id) && isGuid(connected) && extension.entra_tenant_id?.toLowerCase() !== connected) return 'extension synced from another Microsoft Entra tenant';
  return extension;
}
