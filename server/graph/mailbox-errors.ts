import { isAppError } from '../errors.js';

/** Why one mailbox cannot be read: it has none (skipped quietly), or Exchange denies access (reported). */
export type MailboxUnreadable = 'no_mailbox' | 'access_denied';

/**
 * 404 MailboxNotEnabledForRESTAPI (a user without an Exchange mailbox, e.g. most guests) and 403
 * ErrorAccessDenied (an application access policy / RBAC for applications excludes the mailbox)
 * concern one mailbox only; anything else concerns every call (contacts, calendars alike).
 */
export function mailboxUnreadable(error: unknown): MailboxUnreadable | undefined {
  if (!isAppError(error)) return undefined;
  const graphCode = typeof error.details?.graphCode === 'string' ? error.details.graphCode : '';
  const graphStatus = typeof error.details?.graphStatus === 'number' ? error.details.graphStatus : 0;
  if (graphStatus === 404 && /MailboxNotEnabledForRESTAPI|ResourceNotFound|ErrorInvalidUser/i.test(graphCode)) {
    return 'no_mailbox';
  }
  if (graphStatus === 403 && /ErrorAccessDenied|AccessDenied/i.test(graphCode)) return 'access_denied';
  return undefined;
}
