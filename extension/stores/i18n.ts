import { computed, type ReadonlySignal } from '@preact/signals';
import { resolveLanguage, translator, type Translator } from '../i18n/index.js';
import { browserLanguages } from '../platform/browser.js';
import type { SettingsStore } from './settings.js';

/** The translator for the language in the settings (or the browser's), switching live. */
export function createI18nStore(settings: SettingsStore): ReadonlySignal<Translator> {
  const browser = browserLanguages();
  return computed(() => translator(resolveLanguage(settings.settings.value.language, browser)));
}
