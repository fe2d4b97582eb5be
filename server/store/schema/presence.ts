/** Presence: per-extension mapping, status and sync state, delegated grants, and the polling lease. */

export interface PresenceMappingTable {
  tenant_id: string;
  extension_id: string;
  value: string;
  updated_at: string;
}

export interface ExtensionStatusTable {
  tenant_id: string;
  extension_id: string;
  status: string;
  source: string;
  teams_availability: string | null;
  teams_activity: string | null;
  /** Status before a calendar event took over, restored when it ends. */
  previous_status: string | null;
  last_error: string | null;
  updated_at: string;
}

/**
 * Which instance polls a tenant's presence (migration 010): renewed while the instance lives,
 * taken over by another once it lapses, so every user is polled by exactly one instance.
 */
export interface PresenceLeaseTable {
  tenant_id: string;
  /** The instance polling this tenant's presence. */
  owner: string;
  expires_at: string;
}

/** A signed-in user's Entra refresh token for delegated presence subscriptions (migration 008). */
export interface PresenceGrantTable {
  tenant_id: string;
  extension_id: string;
  /** The sign-in (session family) the grant belongs to: revoking it ends the grant. */
  family_id: string;
  /** Sealed (`store.secrets.seal`, context per tenant and extension). */
  refresh_token: string;
  /** After a failure, no new subscription before this time (the user is polled meanwhile). */
  retry_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** Presence sync per extension: last Teams value seen, calendar takeover, PBX call state, last errors. */
export interface PresenceStateTable {
  tenant_id: string;
  extension_id: string;
  teams_availability: string | null;
  teams_activity: string | null;
  /** What the user's mapping made of the last Teams value (an extension status or `no_change`). */
  teams_result: string | null;
  teams_changed_at: string | null;
  /** The status a running calendar event set; null when no event is in charge. */
  calendar_status: string | null;
  /** Status (and its source) to put back when the calendar event ends. */
  restore_status: string | null;
  restore_source: string | null;
  /** Call state the PBX reported and we wrote to Teams (`ringing`/`busy`), until its expiry. */
  call_state: string | null;
  call_state_until: string | null;
  /** The Teams side's last error (polling, notified reads, setting Teams presence). */
  last_error: string | null;
  last_error_at: string | null;
  /** The calendar's last error (migration 016), kept apart so that neither side clears the other's. */
  calendar_error: string | null;
  calendar_error_at: string | null;
  updated_at: string;
}
