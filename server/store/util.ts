import { randomUUID } from 'node:crypto';
import type { Flag } from './schema.js';

export const nowIso = (): string => new Date().toISOString();
export const newId = (): string => randomUUID();
export const toFlag = (value: boolean): Flag => (value ? 1 : 0);
export const fromFlag = (value: number): boolean => value === 1;

/** The tenant every single-PBX deployment uses. */
export const DEFAULT_TENANT = 'default';
