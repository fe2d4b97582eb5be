import { useT } from '../stores/context.js';
import { AccountSection } from './account-section.js';
import { MappingSection } from './mapping-section.js';
import { PreferencesSection } from './preferences-section.js';
import { ServerSection } from './server-section.js';

/** The settings page: server, account, presence mapping, preferences. */
export function Options() {
  const t = useT();
  return (
    <main class="options">
      <h1>{t.t('options.title')}</h1>
      <ServerSection />
      <AccountSection />
      <MappingSection />
      <PreferencesSection />
    </main>
  );
}
