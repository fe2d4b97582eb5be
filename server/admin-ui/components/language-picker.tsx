import { LANGUAGES, type Language } from '../i18n/index.js';
import { useStores } from '../stores/context.js';

/** The admin's language choice, remembered in this browser. */
export function LanguagePicker() {
  const { i18n } = useStores();
  return (
    <div class="language">
      <label for="language">{i18n.t('shell.language')}</label>
      <select id="language" value={i18n.lang.value} onChange={(e) => i18n.setLanguage(e.currentTarget.value as Language)}>
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {i18n.t(`language.${lang}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
