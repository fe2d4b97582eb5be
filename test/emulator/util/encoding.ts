import { createHash, randomBytes } from 'node:crypto';

export const b64url = (input: string | Buffer): string => Buffer.from(input).toString('base64url');

export const fromB64url = (input: string): string => Buffer.from(input, 'base64url').toString('utf8');

/** Opaque tokens (skiptoken, deltatoken): base64url JSON. Clients must not parse them; we may. */
export function encodeToken(payload: object): string {
  return b64url(JSON.stringify(payload));
}

export function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(fromB64url(token)) as T;
  } catch {
    return undefined;
  }
}

export const randomId = (bytes = 24): string => randomBytes(bytes).toString('base64url');

export const sha256 = (input: string | Buffer): Buffer => createHash('sha256').update(input).digest();
