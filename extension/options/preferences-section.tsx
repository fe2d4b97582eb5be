import { LANGUAGES, type LanguageSetting } from '../i18n/index.js';
import { DIAL_SCHEMES, type DialScheme } from '../settings/schema.js';
import { useStores, useT } from '../stores/context.js';

/** Language, what click-to-dial opens, notifications: saved as soon as they change. */
export function PreferencesSection() {
  const { settings } = useStores();
  const t = useT();
  const current = settings.settings.value;
  return (
    <section aria-labelledby="preferences-heading">
      <h2 id="preferences-heading">{t.t('options.preferences')}</h2>
      <div class="field">
        <label for="language">{t.t('options.language')}</label>
        <select
          id="language"
          value={current.language}
          onChange={(e) => void settings.save({ language: e.currentTarget.value as LanguageSetting })}
        >
          <option value="auto">{t.t('language.auto')}</option>
          {LANGUAGES.map((lang) => (
            <option key={lang} value={lang}>
              {t.t(`language.${lang}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="dial-scheme">{t.t('options.dialScheme')}</label>
        <select
          id="dial-scheme"
          value={current.dialScheme}
          onChange={(e) => void settings.save({ dialScheme: e.currentTarget.value as DialScheme })}
        >
          {DIAL_SCHEMES.map((scheme) => (
            <option key={scheme} value={scheme}>
              {t.t(scheme === 'tel' ? 'options.dialTel' : 'options.dialSip')}
            </option>
          ))}
        </select>
      </div>
      <label class="row">
        <input
          id="notify-on-change"
          type="checkbox"
          checked={current.notifyOnChange}
          onChange={(e) => void settings.save({ notifyOnChange: e.currentTarget.checked })}
        />
        <span>{t.t('options.notify')}</span>
      </label>
    </section>
  );
}
