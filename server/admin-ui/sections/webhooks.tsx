import { useEffect, useState } from 'preact/hooks';
import type { WebhookEndpoint } from '../api/endpoints.js';
import { CopyValue } from '../components/copy.js';
import { ConfirmDialog } from '../components/dialog.js';
import { FormNotice } from '../components/notice.js';
import { PagedTable } from '../components/paged-table.js';
import { Card, Section } from '../components/section.js';
import { useStores } from '../stores/context.js';
import { DeliveryLog } from './webhook-deliveries.js';
import { EVENT_FAMILIES, WebhookForm } from './webhook-form.js';

/** `*` and `extension.*` in words; single event types as they are. */
function EventList({ events }: { events: string[] }) {
  const { i18n } = useStores();
  const name = (filter: string) => {
    if (filter === '*') return i18n.t('webhooks.eventsAll');
    const family = EVENT_FAMILIES.find((f) => filter === `${f}.*`);
    return family ? i18n.t(`webhooks.family.${family}`) : filter;
  };
  return <span>{events.map(name).join(', ')}</span>;
}

/** Enabled, or disabled with the reason (by the admin, or by ucbridge after the receiver refused). */
function EndpointState({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { i18n } = useStores();
  if (endpoint.enabled) {
    return (
      <span class="badge badge--connected" data-endpoint-state="enabled">
        {i18n.t('webhooks.stateEnabled')}
      </span>
    );
  }
  return (
    <>
      <span class="badge badge--disabled" data-endpoint-state="disabled">
        {i18n.t('webhooks.stateDisabled')}
      </span>
      <p class="field-hint" data-disabled-reason>
        {endpoint.disabledReason ? i18n.t('webhooks.disabledBecause', { reason: endpoint.disabledReason }) : i18n.t('webhooks.disabledByAdmin')}
      </p>
    </>
  );
}

function EndpointRow({ endpoint, onDelete }: { endpoint: WebhookEndpoint; onDelete: (e: WebhookEndpoint) => void }) {
  const { i18n, webhooks } = useStores();
  const busy = webhooks.actions.busy.value;
  return (
    <tr data-endpoint={endpoint.url}>
      <td>
        <code>{endpoint.url}</code>
      </td>
      <td>
        <EventList events={endpoint.events} />
      </td>
      <td>
        <EndpointState endpoint={endpoint} />
      </td>
      <td>
        <div class="actions row-actions">
          <button type="button" class="secondary" onClick={() => webhooks.edit(endpoint)} aria-label={i18n.t('webhooks.editOf', { url: endpoint.url })}>
            {i18n.t('webhooks.edit')}
          </button>
          <button type="button" class="secondary" onClick={() => void webhooks.showDeliveries(endpoint)} aria-label={i18n.t('webhooks.deliveriesOf', { url: endpoint.url })}>
            {i18n.t('webhooks.deliveries')}
          </button>
          <button type="button" class="secondary" disabled={busy || !endpoint.enabled} onClick={() => void webhooks.sendTest(endpoint)} aria-label={i18n.t('webhooks.testOf', { url: endpoint.url })}>
            {i18n.t('webhooks.test')}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => void webhooks.rotateSecret(endpoint)} aria-label={i18n.t('webhooks.rotateOf', { url: endpoint.url })}>
            {i18n.t('webhooks.rotate')}
          </button>
          <button type="button" class="danger secondary" disabled={busy} onClick={() => onDelete(endpoint)} aria-label={i18n.t('webhooks.deleteOf', { url: endpoint.url })}>
            {i18n.t('webhooks.delete')}
          </button>
        </div>
      </td>
    </tr>
  );
}

/** The signing secret, right after creation or rotation: the only time the server shows it. */
function ShownSecret() {
  const { i18n, webhooks } = useStores();
  const shown = webhooks.secret.value;
  if (!shown) return null;
  return (
    <Card id="webhook-secret" title={i18n.t('webhooks.secretTitle')}>
      <p class="notice notice--info" role="status">
        {i18n.t('webhooks.secretOnce')}
      </p>
      <CopyValue id="webhook-secret-value" label={i18n.t('webhooks.secret')} value={shown.secret} />
      <div class="actions">
        <button type="button" class="secondary" onClick={() => (webhooks.secret.value = null)}>
          {i18n.t('webhooks.secretDone')}
        </button>
      </div>
    </Card>
  );
}

export function Webhooks() {
  const { i18n, webhooks } = useStores();
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  useEffect(() => {
    void webhooks.endpoints.load();
    return () => webhooks.stop();
  }, [webhooks]);
  const editing = webhooks.editing.value;
  const selected = webhooks.selected.value;
  return (
    <Section id="webhooks" title={i18n.t('webhooks.title')} intro={i18n.t('webhooks.intro')}>
      <ShownSecret />
      <div class="actions">
        <button type="button" onClick={() => webhooks.edit('new')} disabled={editing === 'new'}>
          {i18n.t('webhooks.add')}
        </button>
      </div>
      {editing && <WebhookForm key={editing === 'new' ? 'new' : editing.id} target={editing} />}
      <FormNotice form={webhooks.actions} />
      <PagedTable
        list={webhooks.endpoints}
        caption={i18n.t('webhooks.caption')}
        headers={[i18n.t('webhooks.url'), i18n.t('webhooks.events'), i18n.t('webhooks.status'), i18n.t('webhooks.actions')]}
        row={(endpoint) => <EndpointRow key={endpoint.id} endpoint={endpoint} onDelete={setDeleting} />}
        empty={i18n.t('webhooks.none')}
      />
      {selected && <DeliveryLog endpoint={selected} />}
      <ConfirmDialog
        id="webhook-delete"
        open={deleting !== null}
        title={i18n.t('webhooks.deleteTitle')}
        confirmLabel={i18n.t('webhooks.delete')}
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting) void webhooks.remove(deleting);
          setDeleting(null);
        }}
      >
        <p>{i18n.t('webhooks.deleteText', { url: deleting?.url ?? '' })}</p>
      </ConfirmDialog>
    </Section>
  );
}
