import { useState } from 'preact/hooks';
import type { IntegrationView } from '../../integration/index.js';
import { TextField } from '../components/fields.js';
import { FormNotice } from '../components/notice.js';
import { Card } from '../components/section.js';
import { createFormState, submitForm } from '../forms/form.js';
import { collect, guid, httpsUrl, required } from '../forms/validate.js';
import { useStores } from '../stores/context.js';

const DOMAIN = /^([a-z0-9-]+\.)+[a-z]{2,}$/i;

/** Tenant, client and secret; saving acquires a token and probes every permission first. */
export function ConnectForm({ view }: { view: IntegrationView }) {
  const { i18n, integration } = useStores();
  const [form] = useState(createFormState);
  const connected = view.tenantId !== null;
  const [values, setValues] = useState({
    tenantId: view.tenantId ?? '',
    clientId: view.clientId ?? '',
    clientSecret: '',
    authorityHost: view.authorityHost,
    graphEndpoint: view.graphEndpoint,
  });
  const set = (field: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  // The server sends the stored secret only where it was saved for: another tenant, app or endpoint needs it again.
  const keepsSecret =
    connected &&
    values.tenantId.trim().toLowerCase() === view.tenantId?.toLowerCase() &&
    values.clientId.trim().toLowerCase() === view.clientId?.toLowerCase() &&
    values.authorityHost.trim().replace(/\/+$/, '') === view.authorityHost &&
    values.graphEndpoint.trim().replace(/\/+$/, '') === view.graphEndpoint;
  const validate = () =>
    collect({
      tenantId: DOMAIN.test(values.tenantId.trim()) ? undefined : guid(values.tenantId),
      clientId: guid(values.clientId),
      clientSecret: keepsSecret ? undefined : required(values.clientSecret),
      authorityHost: httpsUrl(values.authorityHost) ?? required(values.authorityHost),
      graphEndpoint: httpsUrl(values.graphEndpoint) ?? required(values.graphEndpoint),
    });
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submitForm(form, validate, async () => {
      await integration.connect({
        tenantId: values.tenantId.trim(),
        clientId: values.clientId.trim(),
        authorityHost: values.authorityHost.trim(),
        graphEndpoint: values.graphEndpoint.trim(),
        ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}),
      });
      setValues((v) => ({ ...v, clientSecret: '' }));
      return { key: 'connection.connected' };
    });
  };
  return (
    <Card id="connection-form" title={connected ? i18n.t('connection.reconfigure') : i18n.t('connection.connect')}>
      <form onSubmit={onSubmit} noValidate>
        <TextField id="tenantId" label={i18n.t('connection.tenantId')} hint={i18n.t('connection.tenantIdHint')} value={values.tenantId} onInput={set('tenantId')} form={form} />
        <TextField id="clientId" label={i18n.t('connection.clientId')} value={values.clientId} onInput={set('clientId')} form={form} />
        <TextField
          id="clientSecret"
          type="password"
          autoComplete="new-password"
          label={i18n.t('connection.secret')}
          hint={keepsSecret ? i18n.t('connection.secretKeepHint') : i18n.t('connection.secretHint')}
          value={values.clientSecret}
          onInput={set('clientSecret')}
          form={form}
        />
        <details class="advanced">
          <summary>{i18n.t('connection.nationalClouds')}</summary>
          <TextField id="authorityHost" type="url" label={i18n.t('connection.authorityHost')} value={values.authorityHost} onInput={set('authorityHost')} form={form} />
          <TextField id="graphEndpoint" type="url" label={i18n.t('connection.graphEndpoint')} value={values.graphEndpoint} onInput={set('graphEndpoint')} form={form} />
        </details>
        <FormNotice form={form} />
        <div class="actions">
          <button type="submit" disabled={form.busy.value}>
            {form.busy.value ? i18n.t('connection.checking') : i18n.t('connection.saveAndCheck')}
          </button>
        </div>
      </form>
    </Card>
  );
}

/** Rotation: the new secret replaces the old one only after it has obtained a token. */
export function SecretForm() {
  const { i18n, integration } = useStores();
  const [form] = useState(createFormState);
  const [secret, setSecret] = useState('');
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submitForm(
      form,
      () => collect({ clientSecret: required(secret) }),
      async () => {
        await integration.updateSecret(secret);
        setSecret('');
        return { key: 'connection.secretUpdated' };
      },
    );
  };
  return (
    <Card id="secret-form" title={i18n.t('connection.updateSecret')}>
      <form onSubmit={onSubmit} noValidate>
        <TextField
          id="newClientSecret"
          name="clientSecret"
          type="password"
          autoComplete="new-password"
          label={i18n.t('connection.newSecret')}
          hint={i18n.t('connection.newSecretHint')}
          value={secret}
          onInput={setSecret}
          form={form}
        />
        <FormNotice form={form} />
        <div class="actions">
          <button type="submit" disabled={form.busy.value}>
            {i18n.t('connection.updateSecret')}
          </button>
        </div>
      </form>
    </Card>
  );
}
