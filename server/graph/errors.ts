import { z } from 'zod';
import { AppError, registerErrorCodes } from '../errors.js';

/**
 * Error codes of everything that talks to Microsoft. Credential problems get one code each so the
 * admin page can point at the exact field to fix; everything else is grouped by what to do about it.
 */
registerErrorCodes({
  graph_tenant_not_found: 400,
  graph_client_not_found: 400,
  graph_secret_invalid: 400,
  graph_secret_expired: 400,
  graph_consent_required: 403,
  graph_permission_missing: 403,
  graph_auth_failed: 502,
  graph_token_unavailable: 503,
  graph_not_found: 404,
  graph_bad_request: 502,
  graph_throttled: 503,
  graph_unavailable: 503,
  graph_unreachable: 502,
  graph_delta_expired: 410,
  graph_error: 502,
  integration_not_connected: 409,
  integration_disabled: 409,
});

/** Known AADSTS numbers → our code, message and hint. */
const aadsts: Record<number, { code: string; message: string; hint: string }> = {
  90002: {
    code: 'graph_tenant_not_found',
    message: 'Entra ID does not know this tenant ID (AADSTS90002).',
    hint: 'Copy the Directory (tenant) ID from the Overview page of your app registration into tenantId.',
  },
  900023: {
    code: 'graph_tenant_not_found',
    message: 'The tenant ID is not a valid tenant identifier (AADSTS900023).',
    hint: 'tenantId must be the Directory (tenant) ID GUID or a verified domain of the tenant.',
  },
  700016: {
    code: 'graph_client_not_found',
    message: 'No application with this client ID exists in the tenant (AADSTS700016).',
    hint: 'Copy the Application (client) ID from the app registration into clientId, and check it is registered in this tenant.',
  },
  7000215: {
    code: 'graph_secret_invalid',
    message: 'Entra ID rejected the client secret (AADSTS7000215).',
    hint: "Paste the secret's Value (not its Secret ID) from Certificates & secrets, or create a new secret.",
  },
  7000222: {
    code: 'graph_secret_expired',
    message: 'The client secret has expired (AADSTS7000222).',
    hint: 'Create a new client secret in Certificates & secrets and save it with POST /api/v1/integration/secret.',
  },
  65001: {
    code: 'graph_consent_required',
    message: 'An administrator has not consented to the application permissions (AADSTS65001).',
    hint: 'Grant admin consent in API permissions, or use the admin-consent link on the integration page.',
  },
};

/** Reads the AADSTS number out of an MSAL error (its errorNo, or the number in its message). */
export function aadstsNumber(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { errorNo, errorMessage, message } = error as { errorNo?: unknown; errorMessage?: unknown; message?: unknown };
  if (typeof errorNo === 'string' || typeof errorNo === 'number') {
    const n = Number(errorNo);
    if (Number.isInteger(n) && n > 0) return n;
  }
  const text = `${typeof errorMessage === 'string' ? errorMessage : ''} ${typeof message === 'string' ? message : ''}`;
  const match = /AADSTS(\d+)/.exec(text);
  return match?.[1] ? Number(match[1]) : undefined;
}

/** The errorCode of the AuthError our MSAL network client throws when the token endpoint kept failing (token.ts). */
export const TOKEN_ENDPOINT_UNAVAILABLE = 'token_endpoint_unavailable';

/** Turns whatever MSAL threw into one of our codes; never includes the secret or a token. */
export function tokenError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const number = aadstsNumber(error);
  const known = number === undefined ? undefined : aadsts[number];
  if (known) return new AppError(known.code, known.message, { hint: known.hint, aadsts: number });
  const { errorCode, errorMessage } = (error ?? {}) as { errorCode?: unknown; errorMessage?: unknown };
  if (errorCode === TOKEN_ENDPOINT_UNAVAILABLE) {
    return new AppError('graph_token_unavailable', `Entra ID's token endpoint was unavailable (${String(errorMessage)}).`, {
      hint: "A temporary problem at Microsoft or on the way there, not the tenant ID, client ID or secret: the next sync tries again. If it lasts, check Microsoft 365 service health and this server's outbound HTTPS to authorityHost.",
    });
  }
  if (errorCode === 'network_error' || errorCode === 'endpoints_resolution_error') {
    return new AppError('graph_unreachable', 'The Entra token endpoint could not be reached.', {
      hint: 'Check authorityHost, DNS and outbound HTTPS from this server (and GRAPH_CA_FILE behind a TLS-inspecting proxy).',
    });
  }
  const code = typeof errorCode === 'string' && errorCode ? errorCode : 'unknown';
  return new AppError(
    'graph_auth_failed',
    `Entra ID refused the token request (${code}${number ? `, AADSTS${number}` : ''}).`,
    { hint: 'Check the tenant ID, client ID and client secret of the integration.', ...(number ? { aadsts: number } : {}) },
  );
}

const graphErrorBody = z.object({
  error: z.object({ code: z.string().default(''), message: z.string().default('') }),
});

export interface GraphErrorInfo {
  status: number;
  code: string;
  message: string;
}

/** Reads Graph's `{"error":{code,message}}` from a parsed body; undefined for anything else. */
export function graphErrorOf(status: number, body: unknown): GraphErrorInfo | undefined {
  const parsed = graphErrorBody.safeParse(body);
  return parsed.success ? { status, code: parsed.data.error.code, message: parsed.data.error.message } : undefined;
}

/** Parses Graph's `{"error":{code,message}}` body; tolerant of anything else. */
export function readGraphError(status: number, text: string): GraphErrorInfo {
  try {
    const info = graphErrorOf(status, JSON.parse(text));
    if (info) return info;
  } catch {
    // not JSON: fall through
  }
  return { status, code: '', message: text.slice(0, 200) };
}

const DELTA_RESET_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);

/** 410, or a 400 with one of the documented reset codes: drop the delta token, start a full round. */
export function isDeltaExpired(info: GraphErrorInfo): boolean {
  return info.status === 410 || (info.status === 400 && DELTA_RESET_CODES.has(info.code.toLowerCase()));
}

/** Maps a failed Graph response to our error; `what` names the call for the message. */
export function graphError(info: GraphErrorInfo, what: string): AppError {
  const details = { graphStatus: info.status, graphCode: info.code };
  if (isDeltaExpired(info)) {
    return new AppError('graph_delta_expired', `The delta token of ${what} has expired; a full round is needed.`, details);
  }
  if (info.status === 403) {
    return new AppError('graph_permission_missing', `Microsoft Graph denied ${what}: ${info.message || info.code}`, {
      ...details,
      hint: 'Add the application permission this feature needs in API permissions and grant admin consent, then test the connection.',
    });
  }
  if (info.status === 404) return new AppError('graph_not_found', `Microsoft Graph found nothing at ${what}.`, details);
  if (info.status === 429) {
    return new AppError('graph_throttled', `Microsoft Graph kept throttling ${what}; the request was given up.`, {
      ...details,
      hint: 'Retry later; other apps in the tenant may be using the shared budget.',
    });
  }
  if (info.status >= 500) {
    return new AppError('graph_unavailable', `Microsoft Graph failed ${what} (HTTP ${info.status}).`, details);
  }
  if (info.status === 400) {
    return new AppError('graph_bad_request', `Microsoft Graph rejected ${what}: ${info.message || info.code}`, details);
  }
  return new AppError('graph_error', `Microsoft Graph answered ${info.status} to ${what}: ${info.message || info.code}`, details);
}
