import { useEffect, useState } from 'preact/hooks';
import { authRedirectUri } from '../platform/browser.js';
import { useStores, useT } from '../stores/context.js';
import { ProblemLine } from '../ui/problem.js';

/**
 * The Entra app fields. Servers name their Entra app with the sign-in nonce; then the fields are
 * only an advanced override, folded away. Older servers need them, so they are offered up front.
 */
function EntraFields(props: { fromServer: boolean; authority: string; clientId: string; onAuthority(v: string): void; onClientId(v: string): void }) {
  const t = useT();
  return (
    <details id="entra-details" data-from-server={String(props.fromServer)}>
      <summary>{t.t(props.fromServer ? 'options.entraOverride' : 'options.entraDetails')}</summary>
      <p class="muted">{t.t(props.fromServer ? 'options.entraOverrideHelp' : 'options.entraHelp')}</p>
      <div class="field">
        <label for="entra-authority">{t.t('options.entraAuthority')}</label>
        <input id="entra-authority" type="url" value={props.authority} onInput={(e) => props.onAuthority(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="entra-client-id">{t.t('options.entraClientId')}</label>
        <input id="entra-client-id" type="text" value={props.clientId} onInput={(e) => props.onClientId(e.currentTarget.value)} />
      </div>
    </details>
  );
}

/** Sign in with Microsoft (the browser's auth window) or out; the redirect URI for the admin. */
export function AccountSection() {
  const { session, settings } = useStores();
  const t = useT();
  const state = session.state.value;
  const me = session.me.value;
  const current = settings.settings.value;
  const [hint, setHint] = useState(current.accountHint);
  const [authority, setAuthority] = useState(current.entraAuthority);
  const [clientId, setClientId] = useState(current.entraClientId);
  useEffect(() => {
    if (state === 'signed-out') void session.loadSignInParameters();
  }, [state, current.serverUrl]);
  if (state === 'unconfigured') return null;

  const signIn = async () => {
    await settings.save({ accountHint: hint.trim(), entraAuthority: authority.trim(), entraClientId: clientId.trim() });
    await session.signIn();
  };

  return (
    <section aria-labelledby="account-heading">
      <h2 id="account-heading">{t.t('options.account')}</h2>
      {state === 'signed-in' && me ? (
        <div class="row">
          <p id="signed-in-as" class="grow">
            {t.t('options.signedInAs', { name: me.user.displayName || me.extension.displayName, number: me.extension.number })}
          </p>
          <button id="sign-out" onClick={() => void session.signOut()}>
            {t.t('options.signOut')}
          </button>
        </div>
      ) : (
        <>
          <p>{t.t('options.notSignedIn')}</p>
          <div class="field">
            <label for="account-hint">{t.t('options.accountHint')}</label>
            <input id="account-hint" type="text" autoComplete="username" value={hint} onInput={(e) => setHint(e.currentTarget.value)} />
            <p class="muted">{t.t('options.accountHintHelp')}</p>
          </div>
          <EntraFields
            fromServer={session.published.value !== undefined}
            authority={authority}
            clientId={clientId}
            onAuthority={setAuthority}
            onClientId={setClientId}
          />
          <button id="sign-in" class="primary" disabled={state === 'signing-in'} onClick={() => void signIn()}>
            {state === 'signing-in' ? t.t('options.signingIn') : t.t('options.signIn')}
          </button>
        </>
      )}
      <ProblemLine problem={session.problem.value} />
      <p class="muted">
        {t.t('options.redirectUri')} 
        <code class="uri">{authRedirectUri()}</code>
      </p>
    </section>
  );
}
