import { html, redirect, type EmuResponse } from '../http/types.js';
import type { Flow } from './flows.js';
import { formPost } from './pages.js';

/** Sends the authorization result (or error) back to the redirect URI in the requested response_mode. */
export function respondToClient(flow: Pick<Flow, 'redirectUri' | 'responseMode' | 'state'>, params: Record<string, string>, headers: Record<string, string> = {}): EmuResponse {
  const fields = { ...params, ...(flow.state !== undefined ? { state: flow.state } : {}) };
  if (flow.responseMode === 'form_post') {
    const res = html(200, formPost(flow.redirectUri, fields));
    Object.assign(res.headers, headers);
    return res;
  }
  const qs = new URLSearchParams(fields).toString();
  const sep = flow.responseMode === 'fragment' ? '#' : flow.redirectUri.includes('?') ? '&' : '?';
  return redirect(`${flow.redirectUri}${sep}${qs}`, headers);
}

/** Error redirect: `error`, `error_description` (and `error_uri`), like Entra. */
export function errorToClient(flow: Pick<Flow, 'redirectUri' | 'responseMode' | 'state'>, error: string, description: string): EmuResponse {
  const code = /AADSTS(\d+)/.exec(description)?.[1];
  return respondToClient(flow, { error, error_description: description, ...(code ? { error_uri: `https://login.microsoftonline.com/error?code=${code}` } : {}) });
}
