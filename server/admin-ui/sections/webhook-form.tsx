import { useState } from 'preact/hooks';
import type { EventType } from '../../webhooks/index.js';
import type { WebhookEndpoint, WebhookInput } from '../api/endpoints.js';
import { Checkbox, RadioGroup, TextField } from '../components/fields.js';
import { FormNotice, Notice } from '../components/notice.js';
import { Card } from '../components/section.js';
import type { FieldErrors, Message } from '../forms/form.js';
import { collect, required } from '../forms/validate.js';
import { useStores } from '../stores/context.js';

type EventFamily = EventType extends `${infer F}.${string}` ? F : never;
/** Event families an endpoint can subscribe to (`extension.*` …); `*` is every event. */
export const EVENT_FAMILIES = ['extension', 'extension_group', 'phonebook', 'contact', 'extension_status', 'sync_run'] as const satisfies readonly EventFamily[];
const ALL = '*';

function urlProblem(value: string): Message | undefined {
  const missing = required(value);
  if (missing) return missing;
  try {
    const { protocol } = new URL(value.trim());
    return protocol === 'https:' || protocol === 'http:' ? undefined : { key: 'webhooks.urlInvalid' };
  } catch {
    return { key: 'webhooks.urlInvalid' };
  }
}

function validate(input: WebhookInput): FieldErrors {
  return collect({ url: urlProblem(input.url), events: input.events.length === 0 ? { key: 'webhooks.pickEvent' } : undefined });
}

const initial = (target: WebhookEndpoint | 'new'): WebhookInput =>
  target === 'new' ? { url: '', events: [ALL], enabled: true } : { url: target.url, events: target.events, enabled: target.enabled };

/** Adds or changes an endpoint: its URL, the events it receives, and whether it is on. */
export function WebhookForm({ target }: { target: WebhookEndpoint | 'new' }) {
  const { i18n, webhooks } = useStores();
  const [input, setInput] = useState(() => initial(target));
  const edit = (patch: Partial<WebhookInput>) => setInput((v) => ({ ...v, ...patch }));
  const all = input.events.includes(ALL);
  const toggleFamily = (family: string, on: boolean) => {
    const filter = `${family}.*`;
    edit({ events: on ? [...input.events, filter] : input.events.filter((e) => e !== filter) });
  };
  const eventsError = webhooks.form.errors.value.events;
  return (
    <Card id="webhook-editor" title={target === 'new' ? i18n.t('webhooks.add') : i18n.t('webhooks.editTitle')}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void webhooks.save({ ...input, url: input.url.trim() }, validate);
        }}
      >
        <TextField id="webhook-url" name="url" type="url" label={i18n.t('webhooks.url')} hint={i18n.t('webhooks.urlHint')} value={input.url} onInput={(url) => edit({ url })} form={webhooks.form} />
        <RadioGroup
          name="webhook-events"
          legend={i18n.t('webhooks.events')}
          value={all ? 'all' : 'chosen'}
          options={[
            { value: 'all', label: i18n.t('webhooks.eventsAll') },
            { value: 'chosen', label: i18n.t('webhooks.eventsChosen') },
          ]}
          onChange={(kind) => edit({ events: kind === 'all' ? [ALL] : [] })}
        />
        {!all && (
          <fieldset>
            <legend>{i18n.t('webhooks.families')}</legend>
            {EVENT_FAMILIES.map((family) => (
              <Checkbox
                key={family}
                id={`webhook-family-${family}`}
                label={i18n.t(`webhooks.family.${family}`)}
                checked={input.events.includes(`${family}.*`)}
                onChange={(on) => toggleFamily(family, on)}
              />
            ))}
            {eventsError && <Notice kind="error" message={eventsError} />}
          </fieldset>
        )}
        <Checkbox id="webhook-enabled" label={i18n.t('webhooks.enabled')} checked={input.enabled} onChange={(enabled) => edit({ enabled })} />
        <FormNotice form={webhooks.form} />
        <div class="actions">
          <button type="submit" disabled={webhooks.form.busy.value}>
            {i18n.t('common.save')}
          </button>
          <button type="button" class="secondary" onClick={() => webhooks.edit(null)}>
            {i18n.t('common.cancel')}
          </button>
        </div>
      </form>
    </Card>
  );
}
