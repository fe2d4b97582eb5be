/**
 * The extension's translations: pick a language (the user's setting, else the browser's, else
 * English), look messages up, turn server error codes into sentences, format times with Intl.
 * Pure functions, usable in the background worker and in pages alike.
 */
import { errorSentence } from '../../sdk/index.js';
import { LANGUAGES, pickLanguage, type Language } from '../../shared/languages.js';
import { de } from './messages/de.js';
import { en, type MessageKey, type Messages } from './messages/en.js';
import { zhCN } from './messages/zh-CN.js';

export { LANGUAGES, type Language, type MessageKey, type Messages };

const catalogues: Record<Language, Messages> = { en, de, 'zh-CN': zhCN };

/** The language setting: a shipped language, or `auto` (follow the browser). */
export type LanguageSetting = Language | 'auto';

export const resolveLanguage = (setting: LanguageSetting, browser: readonly string[]): Language =>
  pickLanguage(setting === 'auto' ? null : setting, browser);

export type MessageParams = Record<string, string | number>;

export interface Translator {
  lang: Language;
  t(key: MessageKey, params?: MessageParams): string;
  /**
   * A server (or extension) error code in words: the extension's own text, else the SDK's (the
   * sign-in and session codes), else a sentence naming the code.
   */
  errorText(code: string, params?: MessageParams): string;
  /** A point in time, short: the time alone when it is today, else date and time. */
  time(iso: string): string;
}

const isKey = (key: string): key is MessageKey => key in en;

export function translator(lang: Language): Translator {
  const catalogue = catalogues[lang];
  const number = new Intl.NumberFormat(lang, { useGrouping: false });
  const timeOnly = new Intl.DateTimeFormat(lang, { timeStyle: 'short' });
  const dateTime = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const dayKey = new Intl.DateTimeFormat('en-CA', { dateStyle: 'short' });
  const t = (key: MessageKey, params: MessageParams = {}): string =>
    (catalogue[key] || en[key]).replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? number.format(value) : value;
    });
  return {
    lang,
    t,
    errorText(code, params = {}) {
      const key = `error.${code}`;
      return isKey(key) ? t(key, params) : (errorSentence(code, lang) ?? t('error.unknown', { code }));
    },
    time(iso) {
      const date = new Date(iso);
      const today = dayKey.format(date) === dayKey.format(new Date());
      return (today ? timeOnly : dateTime).format(date);
    },
  };
}
