import { parsePhone } from '../../../shared/phone.js';
import type { Message } from './form.js';

/** Client-side checks; each returns the problem or undefined. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const required = (value: string): Message | undefined =>
  value.trim() === '' ? { key: 'validate.required' } : undefined;

export const guid = (value: string): Message | undefined =>
  required(value) ?? (GUID.test(value.trim()) ? undefined : { key: 'validate.guid' });

export const httpsUrl = (value: string): Message | undefined => {
  if (value.trim() === '') return undefined;
  try {
    return new URL(value).protocol === 'https:' ? undefined : { key: 'validate.https' };
  } catch {
    return { key: 'validate.https' };
  }
};

export const digits = (value: string): Message | undefined =>
  /^\d{1,15}$/.test(value.trim()) ? undefined : { key: 'validate.digits' };

/** Empty, or a number a trunk can send: what the server accepts as a caller id (shared/phone.ts). */
export const phoneNumber = (value: string): Message | undefined =>
  value.trim() === '' || parsePhone(value) !== null ? undefined : { key: 'validate.phone' };

/** Empty, or something shaped like an address (the server checks it fully). */
export const emailAddress = (value: string): Message | undefined =>
  value.trim() === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? undefined : { key: 'validate.email' };

export const intRange = (value: number, min: number, max: number): Message | undefined =>
  Number.isInteger(value) && value >= min && value <= max ? undefined : { key: 'validate.range', params: { min, max } };

/** Collects the problems of several fields into one map, skipping the fields without one. */
export function collect(checks: Record<string, Message | undefined>): Record<string, Message> {
  const out: Record<string, Message> = {};
  for (const [field, problem] of Object.entries(checks)) if (problem) out[field] = problem;
  return out;
}

/** Number inputs keep what was typed: an empty box is NaN, which validation then reports. */
export const parseNumber = (value: string): number => (value.trim() === '' ? Number.NaN : Number(value));
export const numberText = (value: number): string => (Number.isNaN(value) ? '' : String(value));
