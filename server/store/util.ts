import { randomUUID } from 'node:crypto';
import type { Flag } from './schema.js';

export const nowIso = (): string => new Date().toISOString();
let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7 (RFC 9562): the millisecond time, a 12-bit counter within the millisecond (the RFC's
 * "method 1"), then random bits. Ids of one process sort in the order they were made (webhook
 * deliveries of one change are sent in that order), and new rows land at the end of their
 * primary-key index instead of at a random place, so a bulk insert touches few index pages.
 */
export function newId(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    // 4096 ids in one millisecond (or a clock that went back): borrow the next millisecond.
    lastMs += 1;
    sequence = 0;
  }
  const time = lastMs.toString(16).padStart(12, '0');
  // randomUUID() is 'xxxxxxxx-xxxx-4xxx-yxxx-…' with the variant bits in y: keep that random tail.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${sequence.toString(16).padStart(3, '0')}-${randomUUID().slice(19)}`;
}
export const toFlag = (value: boolean): Flag => (value ? 1 : 0);
export const fromFlag = (value: number): boolean => value === 1;

/** The tenant every single-PBX deployment uses. */
export const DEFAULT_TENANT = 'default';
