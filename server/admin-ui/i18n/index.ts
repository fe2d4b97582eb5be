import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { de } from './messages/de.js';
import { en, type MessageKey, type Messages } from './messages/en.js';
import { zhCN } from './messages/zh-CN.js';
import { formatters, type Formatters } from './format.js';
import { FALLBACK_LANGUAGE, pickLanguage, type Language } from '../../../shared/languages.js';

export { LANGUAGES, type Language } from '../../../shared/languages.js';
export type { MessageKey } from './messages/en.js';

const catalogues: Record<Language, Messages> = { en, de, 'zh-CN': zhCN };

export type MessageParams = Record<string, string | number>;

export interface I18nStore {
  lang: ReadonlySignal<Language>;
  setLanguage(lang: Language): void;
  /** The message for `key` in the current language, `{name}` placeholders filled in. */
  t(key: MessageKey, params?: MessageParams): string;
  /** Whether a computed key (e.g. `error.<code>`) exists. */
  has(key: string): key is MessageKey;
  /** A server error code in words; unknown codes get a generic sentence naming the code. */
  errorText(code: string): string;
  format: ReadonlySignal<Formatters>;
}

export interface I18nOptions {
  saved: string | null;
  browser: readonly string[];
  save(lang: Language): void;
}

export function createI18nStore(options: I18nOptions): I18nStore {
  const lang = signal<Language>(pickLanguage(options.saved, options.browser));
  const format = computed(() => formatters(lang.value));
  const has = (key: string): key is MessageKey => key in en;
  const t = (key: MessageKey, params: MessageParams = {}): string => {
    const text = catalogues[lang.value][key] || catalogues[FALLBACK_LANGUAGE][key];
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? format.value.number(value) : value;
    });
  };
  return {
    lang,
    setLanguage(next) {
      lang.value = next;
      options.save(next);
    },
    t,
    has,
    errorText(code) {
      const key = `error.${code}`;
      return has(key) ? t(key) : t('error.unknown', { code });
    },
    format,
  };
}
