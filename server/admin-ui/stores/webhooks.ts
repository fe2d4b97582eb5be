import { signal } from '@preact/signals';
import type { Api, WebhookEndpoint, WebhookInput } from '../api/endpoints.js';
import { clearForm, createFormState, submitForm, type FieldErrors } from '../forms/form.js';
import { createPagedListStore } from './paged-list.js';
import { POLL_MS } from './sync-runs.js';

const noPage = { items: [], nextCursor: null };

/** A signing secret the server showed this once, for the endpoint it belongs to. */
export interface ShownSecret {
  endpointId: string;
  secret: string;
}

/**
 * Webhook endpoints: the list, the editor (new or existing), the secret shown once, per-endpoint
 * actions (test, rotate, delete) and the delivery log of the endpoint being looked at.
 */
export function createWebhooksStore(api: Api) {
  const endpoints = createPagedListStore(api.webhooks.list);
  const editing = signal<WebhookEndpoint | 'new' | null>(null);
  const form = createFormState();
  const actions = createFormState();
  const secret = signal<ShownSecret | null>(null);
  const selected = signal<WebhookEndpoint | null>(null);
  const deliveries = createPagedListStore((cursor) => {
    const endpoint = selected.value;
    return endpoint ? api.webhooks.deliveries(endpoint.id, cursor) : Promise.resolve(noPage);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Re-reads the log while a delivery is still pending (a test ping is sent in the background),
   * then the endpoints: a receiver answering 410 Gone gets its endpoint disabled.
   */
  const followDeliveries = async (): Promise<void> => {
    clearTimeout(timer);
    await deliveries.load();
    if (deliveries.items.value.some((d) => d.status === 'pending')) timer = setTimeout(() => void followDeliveries(), POLL_MS);
    else await endpoints.load();
  };
  const act = (send: () => Promise<void>, done: 'webhooks.tested' | 'webhooks.rotated' | 'webhooks.deleted') =>
    submitForm(
      actions,
      () => ({}),
      async () => {
        await send();
        return { key: done };
      },
    );

  return {
    endpoints,
    editing,
    form,
    actions,
    secret,
    selected,
    deliveries,
    edit(target: WebhookEndpoint | 'new' | null): void {
      clearForm(form);
      editing.value = target;
    },
    save(input: WebhookInput, validate: (input: WebhookInput) => FieldErrors): Promise<boolean> {
      const target = editing.value;
      return submitForm(
        form,
        () => validate(input),
        async () => {
          if (target === 'new') {
            const created = await api.webhooks.create(input);
            secret.value = { endpointId: created.id, secret: created.secret };
          } else if (target) {
            await api.webhooks.update(target.id, input);
          }
          editing.value = null;
          await endpoints.load();
          return { key: 'common.saved' };
        },
      );
    },
    showDeliveries(endpoint: WebhookEndpoint): Promise<void> {
      selected.value = endpoint;
      return followDeliveries();
    },
    sendTest(endpoint: WebhookEndpoint): Promise<boolean> {
      return act(async () => {
        await api.webhooks.test(endpoint.id);
        selected.value = endpoint;
        await followDeliveries();
      }, 'webhooks.tested');
    },
    rotateSecret(endpoint: WebhookEndpoint): Promise<boolean> {
      return act(async () => {
        secret.value = { endpointId: endpoint.id, ...(await api.webhooks.rotateSecret(endpoint.id)) };
      }, 'webhooks.rotated');
    },
    remove(endpoint: WebhookEndpoint): Promise<boolean> {
      return act(async () => {
        await api.webhooks.remove(endpoint.id);
        if (selected.value?.id === endpoint.id) selected.value = null;
        if (secret.value?.endpointId === endpoint.id) secret.value = null;
        await endpoints.load();
      }, 'webhooks.deleted');
    },
    stop(): void {
      clearTimeout(timer);
    },
  };
}

export type WebhooksStore = ReturnType<typeof createWebhooksStore>;
