import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.js';

/** Where no webhook may go, whatever a host name or literal says. */
const forbidden = new BlockList();
forbidden.addSubnet('0.0.0.0', 8, 'ipv4'); // "this network": 0.0.0.0 reaches this host
forbidden.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local: cloud metadata (169.254.169.254)
forbidden.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
forbidden.addAddress('::', 'ipv6');
forbidden.addSubnet('fe80::', 10, 'ipv6'); // link-local
forbidden.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

/** A dotted IPv4 address as two 16-bit words. */
function dottedWords(ipv4: string): number[] {
  const [a = 0, b = 0, c = 0, d = 0] = ipv4.split('.').map(Number);
  return [(a << 8) | b, (c << 8) | d];
}

/** The eight 16-bit words of a valid IPv6 address (zone id removed), the last two maybe dotted IPv4. */
function ipv6Words(address: string): number[] {
  const words = (part: string) =>
    part
      .split(':')
      .filter(Boolean)
      .flatMap((w) => (w.includes('.') ? dottedWords(w) : [parseInt(w, 16)]));
  const [head = '', tail] = address.split('::');
  const front = words(head);
  const back = tail === undefined ? [] : words(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * The IPv4 address a packet to this IPv6 address reaches: IPv4-mapped (::ffff:0:0/96),
 * IPv4-compatible (::/96, beyond ::0.0.255.255, where :: and ::1 live) and NAT64 (64:ff9b::/96).
 */
function embeddedIpv4(words: number[]): string | undefined {
  const [w0, w1, w2, w3, w4, w5, w6 = 0, w7 = 0] = words;
  const zeros = w2 === 0 && w3 === 0 && w4 === 0;
  const mapped = w0 === 0 && w1 === 0 && zeros && w5 === 0xffff;
  const compatible = w0 === 0 && w1 === 0 && zeros && w5 === 0 && w6 !== 0;
  const nat64 = w0 === 0x64 && w1 === 0xff9b && zeros && w5 === 0;
  if (!mapped && !compatible && !nat64) return undefined;
  return [w6 >> 8, w6 & 0xff, w7 >> 8, w7 & 0xff].join('.');
}

/**
 * Whether webhooks must never reach this IP address (bracketed or not; false for a host name).
 * Loopback and private networks are allowed on purpose — an on-prem PBX usually sits on the same
 * host or LAN as ucbridge, and only an admin can register endpoints. Link-local, unspecified and
 * cloud-metadata addresses are refused however written (an IPv6 address embedding a forbidden
 * IPv4 included), as literals (`checkWebhookUrl`) and after DNS resolution (`guardedLookup`).
 */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return forbidden.check(bare, 'ipv4');
  if (family !== 6) return false;
  const ipv4 = embeddedIpv4(ipv6Words(bare));
  return ipv4 ? forbidden.check(ipv4, 'ipv4') : forbidden.check(bare, 'ipv6');
}

/**
 * Validates an endpoint URL (http or https, no credentials, no forbidden IP literal); the message
 * names the field and what to do. The dispatcher checks again before each attempt: an IP literal
 * is never looked up, so `guardedLookup` cannot see it.
 */
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
  if (isForbiddenAddress(url.hostname)) throw fail('points at a link-local, unspecified or cloud-metadata address, which is not allowed');
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
