import type { EmuRequest } from '../http/types.js';
import type { Services } from '../services.js';

export interface EntraCtx {
  req: EmuRequest;
  svc: Services;
  /** The tenant segment of the path as sent (GUID, domain, common, organizations). */
  tenant: string;
  /** https://host:port: the authority host. */
  base: string;
}

export function cookie(ctx: EntraCtx, name: string): string | undefined {
  for (const part of (ctx.req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export const SESSION_COOKIE = 'ESTSAUTH_EMU';
