import type { FastifyReply, FastifyRequest } from 'fastify';
import { extensionStatusRepo, statusBusFor, type StatusEvent } from '../presence/index.js';
import { requireLiveSignIn, ssoTunables, type SsoDeps } from '../sso/index.js';
import type { UserSession } from './client-auth.js';

const frame = (event: StatusEvent): string => `id: ${event.id}\nevent: status\ndata: ${JSON.stringify(event.status)}\n\n`;

/**
 * `GET /api/v1/me/status/stream`: Server-Sent Events of the user's extension status. A client
 * that reconnects with `Last-Event-ID` gets the events it missed, or the current status when
 * they are no longer known; otherwise the stream starts with the current status. Comment lines
 * keep idle connections open, and the sign-in is re-checked at each one, so a revoked session's
 * stream ends with an `event: end` whose `code` says why (`session_revoked`…, or `extension_removed`
 * when presence sync ends it: the client then reconnects and is checked again).
 */
export async function streamStatus(deps: SsoDeps, request: FastifyRequest, reply: FastifyReply, session: UserSession): Promise<void> {
  const { tenantId, extensionId } = session.principal;
  const bus = statusBusFor(deps.store);
  const raw = reply.raw;
  const header = request.headers['last-event-id'];
  const backlog = typeof header === 'string' ? bus.since(tenantId, extensionId, header) : undefined;
  const pending: StatusEvent[] = [];
  let live = false;
  const end = (code: string) => raw.end(`event: end\ndata: ${JSON.stringify({ code })}\n\n`);
  const unsubscribe = bus.subscribe(
    tenantId,
    extensionId,
    (event) => (live ? raw.write(frame(event)) : pending.push(event)),
    // Presence sync ends the streams of users removed from sync at once, not at the next heartbeat.
    () => end('extension_removed'),
  );
  const snapshotId = bus.lastId();
  // Cleanup is wired before any await: a client gone while the snapshot is read must not leave
  // its listener and heartbeat behind ('close' fires once, and never for a late listener).
  let heartbeat: NodeJS.Timeout | undefined = undefined;
  const cleanup = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  raw.on('close', cleanup);
  reply.hijack();
  if (raw.destroyed) {
    cleanup();
    return;
  }
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 2000\n\n');
  if (backlog) {
    for (const event of backlog) raw.write(frame(event));
  } else {
    const status = await extensionStatusRepo(deps.store.db).get(tenantId, extensionId);
    if (raw.destroyed) return;
    raw.write(frame({ id: snapshotId, tenantId, status }));
  }
  for (const event of pending) raw.write(frame(event));
  live = true;

  let checking = false;
  heartbeat = setInterval(() => {
    if (checking) return;
    checking = true;
    requireLiveSignIn(deps, session.principal).then(
      () => {
        checking = false;
        raw.write(': ping\n\n');
      },
      (error: unknown) => end((error as { code?: string }).code ?? 'session_revoked'),
    );
  }, ssoTunables(deps.store).heartbeatMs);
}
