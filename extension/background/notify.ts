import type { StatusInfo } from '../../sdk/index.js';
import type { Translator } from '../i18n/index.js';
import { browser } from '../platform/browser.js';

const NOTIFICATION_ID = 'ucbridge-status';

/** A desktop notification naming the new status and who set it (replaces the previous one). */
export async function notifyStatusChange(t: Translator, status: StatusInfo): Promise<void> {
  await browser.notifications.create(NOTIFICATION_ID, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('icons/128.png'),
    title: t.t('notify.title'),
    message: t.t('notify.body', {
      status: t.t(`presenceStatus.${status.status}`),
      source: t.t(`statusSource.${status.source}`),
    }),
  });
}
