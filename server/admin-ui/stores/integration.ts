import { signal } from '@preact/signals';
import type { Api, ConnectBody, IntegrationPage, LifecycleChoice } from '../api/endpoints.js';
import { errorMessage, type Message } from '../forms/form.js';

/** The Entra connection as the server reports it, and the lifecycle actions on it. */
export function createIntegrationStore(api: Api) {
  const view = signal<IntegrationPage | null>(null);
  const loadError = signal<Message | null>(null);
  const load = async (): Promise<void> => {
    try {
      view.value = await api.integration.get();
      loadError.value = null;
    } catch (error) {
      loadError.value = errorMessage(error);
    }
  };
  /** Every action answers with the new state; after a failure the page re-reads it. */
  const apply = async (action: Promise<IntegrationPage>): Promise<void> => {
    try {
      view.value = await action;
    } catch (error) {
      await load();
      throw error;
    }
  };
  return {
    view,
    loadError,
    load,
    connect: (body: ConnectBody) => apply(api.integration.put(body)),
    test: () => apply(api.integration.test()),
    updateSecret: (clientSecret: string) => apply(api.integration.secret(clientSecret)),
    lifecycle: (action: 'disable' | 'enable' | 'disconnect', choice: LifecycleChoice) =>
      apply(action === 'enable' ? api.integration.enable() : api.integration[action](choice)),
    /** Sends the browser to Microsoft's admin-consent page; it comes back to /admin with the outcome. */
    async requestConsent(): Promise<void> {
      const { url } = await api.integration.consentUrl();
      location.assign(url);
    },
  };
}

export type IntegrationStore = ReturnType<typeof createIntegrationStore>;
