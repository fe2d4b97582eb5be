import { randomUUID } from 'node:crypto';
import { json, type EmuRequest, type EmuResponse } from '../http/types.js';

/** Thrown by Graph handlers; the Graph area turns it into Graph's error body. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const fail = (status: number, code: string, message: string, headers?: Record<string, string>): never => {
  throw new GraphHttpError(status, code, message, headers);
};

export const badRequest = (message: string, code = 'BadRequest'): never => fail(400, code, message);

export const notFound = (id: string): never =>
  fail(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

/** Per-request ids Graph puts in headers and in `innerError`. */
export function requestIds(req: EmuRequest): { requestId: string; clientRequestId: string } {
  return { requestId: randomUUID(), clientRequestId: req.headers['client-request-id'] ?? randomUUID() };
}

export function graphHeaders(ids: { requestId: string; clientRequestId: string }): Record<string, string> {
  return {
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
    'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'Emulator', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'EMU' } }),
    'strict-transport-security': 'max-age=31536000',
  };
}

/** `{"error":{"code","message","innerError":{date, request-id, client-request-id}}}`, as Graph returns it. */
export function graphError(status: number, code: string, message: string, ids: { requestId: string; clientRequestId: string }, headers: Record<string, string> = {}): EmuResponse {
  return json(
    status,
    {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
      },
    },
    { ...graphHeaders(ids), ...headers },
  );
}
