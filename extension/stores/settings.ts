import { signal, type ReadonlySignal } from '@preact/signals';
import { loadSettings, saveSettings, watchSettings } from '../settings/storage.js';
import type { Settings } from '../settings/schema.js';

export interface SettingsStore {
  settings: ReadonlySignal<Settings>;
  save(change: Partial<Settings>): Promise<Settings>;
}

/** The extension's settings as a signal, kept in step with other pages and the background. */
export async function createSettingsStore(): Promise<SettingsStore> {
  const settings = signal(await loadSettings());
  watchSettings((next) => {
    settings.value = next;
  });
  return {
    settings,
    async save(change) {
      settings.value = await saveSettings(change);
      return settings.value;
    },
  };
}
