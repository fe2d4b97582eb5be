import { browser } from '../platform/browser.js';
import { useStores, useT } from '../stores/context.js';
import { ProblemLine } from '../ui/problem.js';
import { ContactSearch } from './contact-search.js';
import { StatusCard } from './status-card.js';

const openOptions = () => void browser.runtime.openOptionsPage();

/** The toolbar popup: who I am, my status, set it, find and call a contact, sign out. */
export function Popup() {
  const { session } = useStores();
  const t = useT();
  const state = session.state.value;
  const me = state === 'signed-in' ? session.me.value : undefined;
  const signedOut = state === 'signed-out' || state === 'signing-in';
  const checking = state === 'checking';
  const unconfigured = state === 'unconfigured';
  return (
    <main class="popup">
      {checking && <p class="muted">{t.t('common.loading')}</p>}
      {unconfigured && (
        <section>
          <p>{t.t('popup.notConfigured')}</p>
          <button class="primary" onClick={openOptions}>
            {t.t('popup.openOptions')}
          </button>
        </section>
      )}
      {signedOut && (
        <section>
          <p>{t.t('popup.notSignedIn')}</p>
          {/* The browser closes a popup that loses focus, so the sign-in window opens from the settings page. */}
          <button class="primary" onClick={openOptions}>
            {t.t('popup.signIn')}
          </button>
        </section>
      )}
      <ProblemLine problem={session.problem.value} />
      {me && (
        <>
          <section aria-labelledby="me-name">
            <h1 id="me-name">{me.extension.displayName || me.user.displayName}</h1>
            <p class="muted" id="me-extension">
              {t.t('popup.extensionNumber', { number: me.extension.number })}
            </p>
          </section>
          <StatusCard />
          <ContactSearch />
          <section class="row">
            <button onClick={openOptions}>{t.t('popup.settings')}</button>
            <span class="grow" />
            <button onClick={() => void session.signOut()}>{t.t('popup.signOut')}</button>
          </section>
        </>
      )}
    </main>
  );
}
