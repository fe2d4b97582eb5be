import { z } from 'zod';
import type { TeamsPresence } from './graph-calls.js';

/** `resourceData` of a presence change notification (Graph sends id, availability, activity). */
const resourceData = z.looseObject({ id: z.string().min(1), availability: z.string().nullish(), activity: z.string().nullish() });
const presenceItem = z.looseObject({ resourceData });

/** The presence a notification item carries; undefined when it carries none we can read. */
export function notifiedPresence(item: unknown): TeamsPresence | undefined {
  const parsed = presenceItem.safeParse(item);
  if (!parsed.success) return undefined;
  const { id, availability, activity } = parsed.data.resourceData;
  return { id, availability, activity };
}
