import { registerErrorCodes } from '../errors.js';

/** Codes of the directory: synced objects guard their Entra-owned data, runs guard each other. */
registerErrorCodes({
  settings_invalid: 500,
  settings_read_only: 409,
  smtp_not_configured: 400,
  extension_synced: 409,
  extension_field_locked: 409,
  extension_read_only: 409,
  extension_group_synced: 409,
  number_taken: 409,
  sync_run_active: 409,
  sync_run_held: 409,
  sync_run_not_held: 409,
});
