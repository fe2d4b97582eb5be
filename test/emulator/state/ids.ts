import { randomBytes } from 'node:crypto';
import type { Rng } from '../util/random.js';

/** Outlook item ids are long base64 strings; these look alike and never contain '/'. */
export function outlookId(rng?: Rng): string {
  const bytes = rng ? Buffer.from(Array.from({ length: 30 }, () => rng.int(256))) : randomBytes(30);
  return `AAMkA${bytes.toString('base64url')}`;
}
