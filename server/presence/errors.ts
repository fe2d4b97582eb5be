import { registerErrorCodes } from '../errors.js';

/** Codes of presence sync. */
registerErrorCodes({
  presence_reverse_disabled: 409,
  presence_extension_not_synced: 409,
  presence_subscription_failed: 502,
});
