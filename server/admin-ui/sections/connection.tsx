import { useEffect, useState } from 'preact/hooks';
import type { IntegrationView } from '../../integration/index.js';
import { Notice } from '../components/notice.js';
import { Card, Section } from '../components/section.js';
import { errorMessage, type Message } from '../forms/form.js';
import { useStores } from '../stores/context.js';
import { ConnectForm, SecretForm } from './connection-form.js';
import { AdminConsent, RedirectUris, takeConsentOutcome } from './connection-setup.js';
import { Lifecycle } from './connection-lifecycle.js';

type Permission = IntegrationView['permissions'][number];
const DAY_MS = 24 * 60 * 60 * 1000;

/** Warnings 30, 7 and 1 days before the client secret expires (when Graph tells us the date). */
function SecretExpiry({ expiresAt }: { expiresAt: string }) {
  const days = Math.ceil((Date.parse(expiresAt) - Date.now()) / DAY_MS);
  if (days > 30) return null;
  if (days <= 0) return <Notice kind="error" message={{ key: 'connection.secretExpired' }} />;
  return <Notice kind={days <= 7 ? 'error' : 'info'} message={{ key: 'connection.secretExpiresIn', params: { days } }} />;
}

function Status({ view }: { view: IntegrationView }) {
  const { i18n } = useStores();
  const format = i18n.format.value;
  return (
    <Card id="connection-status" title={i18n.t('connection.statusTitle')}>
      <dl class="facts">
        <dt>{i18n.t('connection.status')}</dt>
        <dd>
          <span class={`badge badge--${view.status}`} data-status={view.status}>
            {i18n.t(`integrationStatus.${view.status}`)}
          </span>
        </dd>
        {view.tenantId && (
          <>
            <dt>{i18n.t('connection.tenantId')}</dt>
            <dd>{view.tenantId}</dd>
            <dt>{i18n.t('connection.clientId')}</dt>
            <dd>{view.clientId}</dd>
            <dt>{i18n.t('connection.secret')}</dt>
            <dd>{view.secretHint ? i18n.t('connection.secretStartsWith', { hint: view.secretHint }) : '—'}</dd>
          </>
        )}
        {view.secretExpiresAt && (
          <>
            <dt>{i18n.t('connection.secretExpires')}</dt>
            <dd>{format.dateTime(view.secretExpiresAt)}</dd>
          </>
        )}
        {view.lastTestedAt && (
          <>
            <dt>{i18n.t('connection.lastTested')}</dt>
            <dd>{format.dateTime(view.lastTestedAt)}</dd>
          </>
        )}
      </dl>
      {view.secretExpiresAt && <SecretExpiry expiresAt={view.secretExpiresAt} />}
    </Card>
  );
}

/** One row per permission: granted or not, which features need it, and what stops without it. */
export function PermissionReport({ permissions }: { permissions: Permission[] }) {
  const { i18n } = useStores();
  if (permissions.length === 0) return null;
  const translated = (key: string, fallback: string) => (i18n.has(key) ? i18n.t(key) : fallback);
  const state = (p: Permission) =>
    p.granted ? 'granted' : p.required ? 'missing' : p.optional ? 'optional' : 'unused';
  return (
    <div class="table-wrap">
      <table class="table permissions">
        <caption>{i18n.t('connection.permissionsTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{i18n.t('connection.permission')}</th>
            <th scope="col">{i18n.t('connection.granted')}</th>
            <th scope="col">{i18n.t('connection.neededFor')}</th>
            <th scope="col">{i18n.t('connection.withoutIt')}</th>
          </tr>
        </thead>
        <tbody>
          {permissions.map((p) => (
            <tr key={p.name} class={state(p) === 'missing' ? 'row--problem' : ''} data-permission={p.name}>
              <th scope="row">
                <code>{p.name}</code>
              </th>
              <td>{i18n.t(`connection.permissionState.${state(p)}`)}</td>
              <td>{p.requiredFor.map((f) => translated(`feature.${f}`, f)).join(', ')}</td>
              <td>{translated(`permissionDisables.${p.name}`, p.disables)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TestConnection() {
  const { i18n, integration } = useStores();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'error' | 'success'; message: Message } | null>(null);
  const test = async () => {
    setBusy(true);
    try {
      await integration.test();
      setResult({ kind: 'success', message: { key: 'connection.testOk' } });
    } catch (error) {
      setResult({ kind: 'error', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="actions">
      <button type="button" class="secondary" disabled={busy} onClick={() => void test()}>
        {busy ? i18n.t('connection.checking') : i18n.t('connection.test')}
      </button>
      {result && <Notice kind={result.kind} message={result.message} />}
    </div>
  );
}

export function Connection() {
  const { i18n, integration } = useStores();
  const [consent] = useState(takeConsentOutcome);
  useEffect(() => {
    void integration.load();
  }, [integration]);
  const view = integration.view.value;
  const loadError = integration.loadError.value;
  const connected = view !== null && view.tenantId !== null;
  return (
    <Section id="connection" title={i18n.t('connection.title')} intro={i18n.t('connection.intro')}>
      {loadError && <Notice kind="error" message={loadError} />}
      {view && (
        <>
          <Status view={view} />
          {connected && <TestConnection />}
          <PermissionReport permissions={view.permissions} />
          <RedirectUris uris={view.redirectUris} />
          <ConnectForm view={view} />
          {connected && <AdminConsent outcome={consent} />}
          {connected && <SecretForm />}
          {connected && <Lifecycle view={view} />}
        </>
      )}
    </Section>
  );
}
