import type { StatusInfo } from '../../sdk/index.js';
import { browser } from '../platform/browser.js';

/**
 * The last status the stream delivered, in `storage.session`: pages show it at once, and a
 * worker that was put to sleep knows after waking whether a status is really new.
 */
const KEY = 'lastStatus';

export async function readLastStatus(): Promise<StatusInfo | undefined> {
  const stored = await browser.storage.session.get(KEY);
  return stored[KEY] as StatusInfo | undefined;
}

export const writeLastStatus = (status: StatusInfo): Promise<void> => browser.storage.session.set({ [KEY]: status });

export const clearLastStatus = (): Promise<void> => browser.storage.session.remove(KEY);

export function watchLastStatus(listener: (status: StatusInfo | undefined) => void): () => void {
  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'session' && KEY in changes) listener(changes[KEY]?.newValue as StatusInfo | undefined);
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}
