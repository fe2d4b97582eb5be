import type { WebhookDelivery, WebhookEndpoint } from '../api/endpoints.js';
import { PagedTable } from '../components/paged-table.js';
import { Card } from '../components/section.js';
import { useStores } from '../stores/context.js';

function DeliveryRow({ delivery }: { delivery: WebhookDelivery }) {
  const { i18n } = useStores();
  const format = i18n.format.value;
  return (
    <tr data-delivery={delivery.eventType}>
      <td>{format.dateTime(delivery.createdAt)}</td>
      <td>
        <code>{delivery.eventType}</code>
      </td>
      <td>
        <span class={`badge badge--${delivery.status}`} data-delivery-status={delivery.status}>
          {i18n.t(`deliveryStatus.${delivery.status}`)}
        </span>
      </td>
      <td>{format.number(delivery.attempts)}</td>
      <td data-response={delivery.responseStatus ?? ''}>{delivery.responseStatus ?? '—'}</td>
      <td>{delivery.nextAttemptAt ? format.dateTime(delivery.nextAttemptAt) : '—'}</td>
      <td>{delivery.lastError ?? ''}</td>
    </tr>
  );
}

/** The delivery log of one endpoint, newest first. */
export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { i18n, webhooks } = useStores();
  return (
    <Card id="webhook-deliveries" title={i18n.t('webhooks.deliveries')}>
      <p class="muted">
        <code>{endpoint.url}</code>
      </p>
      <div class="actions">
        <button type="button" class="secondary" disabled={webhooks.deliveries.loading.value} onClick={() => void webhooks.showDeliveries(endpoint)}>
          {i18n.t('webhooks.refresh')}
        </button>
      </div>
      <PagedTable
        list={webhooks.deliveries}
        caption={i18n.t('webhooks.deliveriesCaption')}
        headers={[
          i18n.t('webhooks.at'),
          i18n.t('webhooks.event'),
          i18n.t('webhooks.status'),
          i18n.t('webhooks.attempts'),
          i18n.t('webhooks.response'),
          i18n.t('webhooks.nextAttempt'),
          i18n.t('webhooks.lastError'),
        ]}
        row={(delivery) => <DeliveryRow key={delivery.id} delivery={delivery} />}
        empty={i18n.t('webhooks.noDeliveries')}
      />
    </Card>
  );
}
