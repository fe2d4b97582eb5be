import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { AppError } from '../errors.js';

/**
 * Where webhooks may go. Only http(s) URLs without credentials. Loopback and private networks
 * are allowed on purpose — an on-prem PBX usually sits on the same host or LAN as ucbridge, and
 * only an admin can register endpoints. Link-local and unspecified addresses are refused, both
 * as literals and after DNS resolution (see `guardedLookup`): cloud metadata services answer on
 * 169.254.169.254, the classic SSRF target.
 */
export function isForbiddenAddress(address: string): boolean {
  const lower = address.toLowerCase().replace(/^\[|\]$/g, '');
  if (isIP(lower) === 4) return lower.startsWith('169.254.') || lower.startsWith('0.');
  if (isIP(lower) === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped?.[1]) return isForbiddenAddress(mapped[1]);
    return lower === '::' || /^fe[89ab]/.test(lower);
  }
  return false;
}

/** Validates an endpoint URL; the message names the field and what to do. */
export function checkWebhookUrl(raw: string, field = 'url'): string {
  const fail = (message: string) =>
    new AppError('validation_failed', `${field}: ${message}`, { fields: [{ path: field, message }] });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail('is not an absolute URL; use e.g. https://pbx.example.com/ucbridge/webhooks');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail('must use http or https');
  if (url.username || url.password) throw fail('must not contain credentials; the signature authenticates ucbridge');
  if (isForbiddenAddress(url.hostname)) throw fail('points at a link-local or unspecified address, which is not allowed');
  url.hash = '';
  return url.toString();
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** `dns.lookup` for the webhook HTTP agent that refuses forbidden addresses (DNS rebinding included). */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) return callback(Object.assign(new Error(`${hostname} resolves to a forbidden address`), { code: 'EFORBIDDEN' }), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}
