import { z } from 'zod';
import { isAppError } from '../errors.js';
import type { GraphClient } from '../graph/index.js';

const DAY = 86_400_000;

/** The app registration as GET /applications returns it with $select=appId,passwordCredentials. */
const applications = z.object({
  value: z.array(
    z.object({
      appId: z.string(),
      passwordCredentials: z.array(z.object({ hint: z.string().nullish(), endDateTime: z.string().nullish() })).nullish(),
    }),
  ),
});

/** The secret's expiry, or why it is unknown: `denied` when the app may not read its own registration. */
export type SecretExpiry = { expiresAt: string | null; denied: boolean };

/**
 * Reads when the client secret in use expires: the app's password credentials (Application.Read.All
 * or Directory.Read.All), matched by Entra's hint — the secret's first three characters. Several
 * secrets with the same hint: the latest expiry. Never fails a connect: unknown is `null`.
 */
export async function readSecretExpiry(graph: GraphClient, clientId: string, secret: string): Promise<SecretExpiry> {
  try {
    const page = await graph.request('/applications', {
      schema: applications,
      select: ['appId', 'passwordCredentials'],
      query: { $filter: `appId eq '${clientId}'` },
    });
    const ends = page.value
      .filter((app) => app.appId.toLowerCase() === clientId.toLowerCase())
      .flatMap((app) => app.passwordCredentials ?? [])
      .filter((c) => c.hint === secret.slice(0, 3) && c.endDateTime)
      .map((c) => new Date(c.endDateTime ?? '').getTime())
      .filter((t) => Number.isFinite(t));
    return { expiresAt: ends.length > 0 ? new Date(Math.max(...ends)).toISOString() : null, denied: false };
  } catch (error) {
    if (isAppError(error) && error.code === 'graph_permission_missing') return { expiresAt: null, denied: true };
    if (isAppError(error)) return { expiresAt: null, denied: false };
    throw error;
  }
}

export const secretExpiryWarning = z.object({
  /** The SPEC §1.3 threshold reached: 30, 7 or 1 day(s) before expiry; 0 once expired. */
  thresholdDays: z.union([z.literal(30), z.literal(7), z.literal(1), z.literal(0)]),
  daysLeft: z.number(),
  message: z.string(),
});
export type SecretExpiryWarning = z.infer<typeof secretExpiryWarning>;

/** The warning the page shows, or null while the expiry is more than 30 days away (or unknown). */
export function expiryWarning(expiresAt: string | null, now = Date.now()): SecretExpiryWarning | null {
  if (!expiresAt) return null;
  const left = new Date(expiresAt).getTime() - now;
  const daysLeft = Math.max(0, Math.ceil(left / DAY));
  const date = expiresAt.slice(0, 10);
  if (left <= 0) {
    return { thresholdDays: 0, daysLeft: 0, message: `The client secret expired on ${date}: sync and SSO stop working. Create a new secret in the Entra admin center and save it with POST /api/v1/integration/secret.` };
  }
  const thresholdDays = ([1, 7, 30] as const).find((t) => left <= t * DAY);
  if (thresholdDays === undefined) return null;
  return { thresholdDays, daysLeft, message: `The client secret expires on ${date} (in ${daysLeft} day${daysLeft === 1 ? '' : 's'}). Create a new secret in the Entra admin center and save it with POST /api/v1/integration/secret.` };
}
