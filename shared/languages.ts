/** Languages the admin page and the browser extension ship (pure, browser-safe); English is the fallback for everything. */
export const LANGUAGES = ['en', 'de', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export const FALLBACK_LANGUAGE: Language = 'en';

const isLanguage = (value: string): value is Language => (LANGUAGES as readonly string[]).includes(value);

/** Maps one BCP 47 tag to a shipped language: de-AT → de, zh / zh-Hans / zh-SG → zh-CN. */
export function matchLanguage(tag: string): Language | undefined {
  const lower = tag.toLowerCase();
  const exact = LANGUAGES.find((lang) => lang.toLowerCase() === lower);
  if (exact) return exact;
  const primary = lower.split('-')[0];
  if (primary === 'zh') return 'zh-CN';
  return primary && isLanguage(primary) ? primary : undefined;
}

/** The user's saved choice wins; then the browser's languages in order; then English. */
export function pickLanguage(saved: string | null, browser: readonly string[]): Language {
  if (saved && isLanguage(saved)) return saved;
  for (const tag of browser) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return FALLBACK_LANGUAGE;
}
