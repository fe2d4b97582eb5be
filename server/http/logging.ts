import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';

/** Query parameters that carry credentials (OAuth codes, tokens, Graph validation tokens). */
const SENSITIVE_QUERY = /^(code|state|nonce|token|access_token|id_token|refresh_token|client_secret|validationtoken|session_state)$/i;

/** Replaces the values of credential-bearing query parameters so URLs can be logged. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SENSITIVE_QUERY.test(key)) params.set(key, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

const SECRET_KEYS = [
  'authorization',
  'cookie',
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'adminToken',
];

/** Paths pino censors wherever they appear at the top two levels of a log line. */
const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export function loggerOptions(
  level: string,
  stream?: DestinationStream,
): Exclude<NonNullable<FastifyServerOptions['logger']>, boolean> {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; id: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        ip: req.ip,
      }),
    },
  };
}
