/**
 * Error codes in words, in the user's language. The codes stay stable and language-neutral;
 * only `describeError` turns them into sentences (English when the language is not shipped).
 */
import { pickLanguage, type Language } from '../../shared/languages.js';
import { UcBridgeError } from '../errors.js';
import { de } from './de.js';
import { en, type ErrorMessageKey, type ErrorMessages } from './en.js';
import { zhCN } from './zh-CN.js';

const errorMessages: Readonly<Record<Language, ErrorMessages>> = { en, de, 'zh-CN': zhCN };

const isKey = (code: string): code is ErrorMessageKey => Object.hasOwn(en, code);

const browserLanguages = (): readonly string[] => (typeof navigator === 'undefined' ? [] : navigator.languages);

/**
 * A short sentence for the user about an error the SDK threw, in their language.
 *
 * @param error - usually a `UcBridgeError`; anything else gets the generic sentence.
 * @param locale - a BCP 47 tag or a list in order of preference (`'de-AT'`, `['fr', 'zh-Hans']`);
 *   without it, `navigator.languages`. English when none of them is shipped.
 * @returns the sentence for the error's `code`, or a generic one for codes the catalogues lack.
 */
export function describeError(error: unknown, locale?: string | readonly string[]): string {
  const preferred = locale === undefined ? browserLanguages() : typeof locale === 'string' ? [locale] : locale;
  const language = pickLanguage(null, preferred);
  const code = error instanceof UcBridgeError ? error.code : '';
  return errorSentence(code, language) ?? errorMessages[language].unknown_error;
}

/**
 * The sentence for an error code in a shipped language, or `undefined` when the catalogues lack
 * the code: for apps that keep their own texts and fall back to the SDK's (the extension does).
 */
export function errorSentence(code: string, language: Language): string | undefined {
  return isKey(code) ? errorMessages[language][code] : undefined;
}
