import { useState } from 'preact/hooks';
import type { IntegrationPage } from '../api/endpoints.js';
import { CopyValue } from '../components/copy.js';
import { Notice } from '../components/notice.js';
import { Card } from '../components/section.js';
import { errorMessage, type Message } from '../forms/form.js';
import { useStores } from '../stores/context.js';

/** Every redirect URI to add in the app registration's Authentication page, ready to copy. */
export function RedirectUris({ uris }: { uris: IntegrationPage['redirectUris'] }) {
  const { i18n } = useStores();
  return (
    <Card id="redirect-uris" title={i18n.t('connection.redirectUris')}>
      <p class="muted">{i18n.t('connection.redirectUrisIntro')}</p>
      {uris.map((r, i) => (
        <CopyValue
          key={r.uri}
          id={`redirect-uri-${i}`}
          label={`${i18n.t(`connection.platform.${r.type}`)} — ${r.purpose}`}
          value={r.uri}
        />
      ))}
    </Card>
  );
}

const CONSENT_OUTCOMES = ['granted', 'granted_untested', 'error'] as const;
type ConsentOutcome = (typeof CONSENT_OUTCOMES)[number];

/** The outcome Microsoft's consent round trip reports back (`/admin#/integration?consent=…`), read once. */
export function takeConsentOutcome(): ConsentOutcome | null {
  const query = location.hash.split('?')[1] ?? location.search.slice(1);
  const value = new URLSearchParams(query).get('consent');
  const outcome = CONSENT_OUTCOMES.find((o) => o === value) ?? null;
  if (outcome) history.replaceState(null, '', location.pathname);
  return outcome;
}

/** Microsoft's admin-consent flow grants the app's permissions for the whole organisation. */
export function AdminConsent({ outcome }: { outcome: ConsentOutcome | null }) {
  const { i18n, integration } = useStores();
  const [problem, setProblem] = useState<Message | null>(null);
  const ask = () => {
    integration.requestConsent().catch((error: unknown) => setProblem(errorMessage(error)));
  };
  return (
    <Card id="admin-consent" title={i18n.t('connection.consent')}>
      <p class="muted">{i18n.t('connection.consentIntro')}</p>
      {outcome && (
        <Notice kind={outcome === 'error' ? 'error' : 'success'} message={{ key: `connection.consentOutcome.${outcome}` }} />
      )}
      {problem && <Notice kind="error" message={problem} />}
      <div class="actions">
        <button type="button" class="secondary" onClick={ask}>
          {i18n.t('connection.consentButton')}
        </button>
      </div>
    </Card>
  );
}
