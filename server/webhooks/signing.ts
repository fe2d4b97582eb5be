import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` + base64
 * of 32 random bytes; the signature is `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))
 * with the decoded bytes as key and the timestamp in Unix seconds.
 */
export const SECRET_PREFIX = 'whsec_';

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export function signatureHeaders(secret: string, messageId: string, timestampSeconds: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature}`,
  };
}

/** Associated data a webhook secret is sealed with: it only opens in its own row. */
export const secretContext = (tenantId: string, endpointId: string): string => `webhook:${tenantId}:${endpointId}:secret`;
