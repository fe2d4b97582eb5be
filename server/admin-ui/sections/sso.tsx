import { useEffect } from 'preact/hooks';
import { Checkbox, Field, TextField, describedBy } from '../components/fields.js';
import { Notice } from '../components/notice.js';
import { Card, Section } from '../components/section.js';
import { SettingsForm } from '../components/settings-form.js';
import type { Message } from '../forms/form.js';
import { collect, httpsUrl } from '../forms/validate.js';
import { useStores } from '../stores/context.js';
import { originLines, type SsoDraft } from '../stores/sso.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** An origin: https, or http on loopback (development), without a path. */
function originProblem(text: string): Message | undefined {
  try {
    const url = new URL(text);
    const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
    return secure && url.origin === text ? undefined : { key: 'sso.originInvalid', params: { origin: text } };
  } catch {
    return { key: 'sso.originInvalid', params: { origin: text } };
  }
}

function validate(s: SsoDraft) {
  return collect({
    allowedOrigins: originLines(s.allowedOrigins).map(originProblem).find(Boolean),
    webClientUrl: s.webClientUrl ? httpsUrl(s.webClientUrl) : undefined,
  });
}

export function Sso() {
  const { i18n, sso } = useStores();
  useEffect(() => {
    void sso.load();
  }, [sso]);
  const draft = sso.draft.value;
  const edit = (patch: Partial<SsoDraft>) => sso.edit((s) => ({ ...s, ...patch }));
  const originsError = sso.form.errors.value.allowedOrigins;
  return (
    <Section id="sso" title={i18n.t('sso.title')} intro={i18n.t('sso.intro')}>
      {sso.loadError.value && <Notice kind="error" message={sso.loadError.value} />}
      {draft && (
        <SettingsForm id="sso" store={sso} validate={validate}>
          <Card id="sso-settings" title={i18n.t('sso.settings')}>
            <Checkbox id="sso-enabled" label={i18n.t('sso.enabled')} hint={i18n.t('sso.enabledHint')} checked={draft.enabled} onChange={(enabled) => edit({ enabled })} />
            <Field id="allowedOrigins" label={i18n.t('sso.origins')} hint={i18n.t('sso.originsHint')} error={originsError}>
              <textarea
                id="allowedOrigins"
                rows={4}
                value={draft.allowedOrigins}
                onInput={(e) => edit({ allowedOrigins: e.currentTarget.value })}
                {...describedBy('allowedOrigins', true, originsError)}
              />
            </Field>
            <TextField
              id="webClientUrl"
              type="url"
              label={i18n.t('sso.webClientUrl')}
              hint={i18n.t('sso.webClientUrlHint')}
              value={draft.webClientUrl ?? ''}
              onInput={(v) => edit({ webClientUrl: v.trim() === '' ? null : v.trim() })}
              form={sso.form}
            />
          </Card>
        </SettingsForm>
      )}
    </Section>
  );
}
