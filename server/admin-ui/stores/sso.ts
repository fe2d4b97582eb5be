import type { SsoSettings } from '../../sso/index.js';
import type { Api } from '../api/endpoints.js';
import { createSettingsStore } from './settings.js';

/**
 * The SSO settings as the admin edits them: the allowed origins as the textarea's raw text (one a
 * line), so a line just started, even empty, stays while typing. Saving sends the non-empty lines.
 */
export type SsoDraft = Omit<SsoSettings, 'allowedOrigins'> & { allowedOrigins: string };

export const originLines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

const toDraft = (settings: SsoSettings): SsoDraft => ({ ...settings, allowedOrigins: settings.allowedOrigins.join('\n') });

export const createSsoStore = (api: Api) =>
  createSettingsStore<SsoDraft>({
    get: async () => toDraft(await api.sso.get()),
    put: async (draft) => toDraft(await api.sso.put({ ...draft, allowedOrigins: originLines(draft.allowedOrigins) })),
  });
