import { randomUUID } from 'node:crypto';
import type { Flag } from './schema.js';

export const nowIso = (): string => new Date().toISOString();
/**
 * A UUIDv7 (RFC 9562): the millisecond time, then random bits. New rows land at the end of their
 * primary-key index instead of at a random place, so a bulk insert touches few index pages.
 */
export function newId(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  // randomUUID() is 'xxxxxxxx-xxxx-4xxx-…' with the variant bits set: keep its random tail.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
export const toFlag = (value: boolean): Flag => (value ? 1 : 0);
export const fromFlag = (value: number): boolean => value === 1;

/** The tenant every single-PBX deployment uses. */
export const DEFAULT_TENANT = 'default';
