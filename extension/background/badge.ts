import type { StatusInfo } from '../../sdk/index.js';
import type { Translator } from '../i18n/index.js';
import { browser } from '../platform/browser.js';
import { STATUS_COLOURS } from '../presence.js';

/**
 * The toolbar button shows the extension status at a glance: a coloured badge (a dot-sized
 * blank) and a title that says the status in words, in the user's language.
 */
const DOT = ' ';
const GREY = '#9aa0a6';

export async function showStatus(t: Translator, status: StatusInfo): Promise<void> {
  await Promise.all([
    browser.action.setBadgeText({ text: DOT }),
    browser.action.setBadgeBackgroundColor({ color: STATUS_COLOURS[status.status] }),
    browser.action.setTitle({ title: t.t('badge.title', { status: t.t(`presenceStatus.${status.status}`) }) }),
  ]);
}

export async function showSignedOut(t: Translator): Promise<void> {
  await Promise.all([browser.action.setBadgeText({ text: '' }), browser.action.setTitle({ title: t.t('badge.signedOut') })]);
}

/** Greyed while no status is known to be current: the stream (re)connects. */
export async function showDisconnected(t: Translator): Promise<void> {
  await Promise.all([
    browser.action.setBadgeText({ text: DOT }),
    browser.action.setBadgeBackgroundColor({ color: GREY }),
    browser.action.setTitle({ title: t.t('badge.disconnected') }),
  ]);
}
