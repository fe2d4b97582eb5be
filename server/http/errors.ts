import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';

/** Turns a zod validation failure into our validation error, naming each field. */
function validationError(error: Parameters<typeof hasZodFastifySchemaValidationErrors>[0]): AppError | undefined {
  if (!hasZodFastifySchemaValidationErrors(error)) return undefined;
  const where = (error as { validationContext?: string }).validationContext ?? 'body';
  // Typed locally: the library's entry type comes from a path ESLint's resolver cannot see.
  const issues = error.validation as unknown as Array<{ instancePath: string; message?: string; params: unknown }>;
  const fields = issues.map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const params = issue.params as { issue?: { code?: string; keys?: string[] } };
    const message =
      params.issue?.code === 'unrecognized_keys'
        ? `unknown field(s) ${(params.issue.keys ?? []).join(', ')}; remove them`
        : (issue.message ?? 'is invalid');
    return { path: path ? `${where}.${path}` : where, message };
  });
  return new AppError(
    'validation_failed',
    `The request ${where} is invalid: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
    { fields },
  );
}

/** Maps Fastify's own errors (bad JSON, wrong content type, too large) to our codes. */
function frameworkError(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', 'The request body is not valid JSON.', {
        hint: 'Send a JSON object with Content-Type: application/json.',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('validation_failed', 'The request body is too large.');
    default:
      if (error.statusCode === 429) return new AppError('rate_limited', 'Too many requests; retry later.');
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return new AppError('validation_failed', error.message);
      }
      return undefined;
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = error instanceof AppError ? error : (validationError(error) ?? frameworkError(error));
    if (mapped) {
      if (mapped.status >= 500) request.log.error({ err: error }, mapped.message);
      return reply.status(mapped.status).send(mapped.toJSON());
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send(new AppError('internal_error', `Internal error; quote request id ${request.id} when reporting it.`).toJSON());
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(new AppError('route_not_found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}.`).toJSON()),
  );
}
