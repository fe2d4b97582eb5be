import { isSessionEnded, SdkErrorCodes, UcBridgeError } from './errors.js';
import { send } from './http.js';
import type { SessionManager } from './session.js';
import type { StatusInfo } from './types.js';

/**
 * Where a status stream is: `connecting` (first attempt), `open` (statuses arrive),
 * `reconnecting` (dropped; retrying with backoff), `closed` (stopped, or ended for good).
 */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Options of `presence.subscribe`. */
export interface SubscribeOptions {
  /** Called when the stream cannot continue (signed out, revoked); it does not reconnect after that. */
  onError?: (error: UcBridgeError) => void;
  /** Called with every change of the connection's state (e.g. to grey out a status while reconnecting). */
  onStateChange?: (state: StreamState) => void;
  /**
   * Called at each heartbeat the server sends while the stream is open (every 15 s by default):
   * a sign of life between statuses, e.g. for a browser extension's service worker to make an
   * extension API call, since Chrome stops a worker that only reads a stream.
   */
  onHeartbeat?: () => void;
}

interface SseEvent {
  id?: string;
  event: string;
  data: string;
  retry?: number;
  /** A block of comment lines only: the server's heartbeat. */
  heartbeat?: true;
}

/** One block of lines: an event, a heartbeat (comment lines only), or nothing. */
function parseBlock(block: string): SseEvent | undefined {
  const event: SseEvent = { event: 'message', data: '' };
  const data: string[] = [];
  let comment = false;
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) {
      comment = true;
      continue;
    }
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') event.event = value;
    else if (field === 'id') event.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
  }
  event.data = data.join('\n');
  if (data.length > 0 || event.retry !== undefined) return event;
  return comment ? { ...event, heartbeat: true } : undefined;
}

/** Splits an SSE byte stream into events and heartbeats. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) yield event;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

const MAX_BACKOFF_MS = 30_000;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Follows `/api/v1/me/status/stream` over fetch (works in pages and extension service workers,
 * unlike EventSource it sends the bearer token), reconnecting with backoff and `Last-Event-ID`.
 */
export function followStatus(
  serverUrl: string,
  fetchImpl: typeof fetch,
  session: SessionManager,
  listener: (status: StatusInfo) => void,
  options: SubscribeOptions = {},
): () => void {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let retryMs = 1_000;
  let delay = retryMs;
  /** The access token the server refused as expired: attempts refresh past it until one gets a new token. */
  let rejected: string | undefined;
  let refreshedOnce = false;
  let state: StreamState | undefined;
  const enter = (next: StreamState) => {
    if (next !== state) options.onStateChange?.((state = next));
  };

  async function connectOnce(): Promise<void> {
    const token = await session.accessToken(rejected);
    rejected = undefined;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    let response: Response;
    try {
      response = await send(fetchImpl, `${serverUrl}/api/v1/me/status/stream`, { headers, signal: controller.signal, cache: 'no-store' });
    } catch (error) {
      if (error instanceof UcBridgeError && error.code === 'session_expired') rejected = token;
      throw error;
    }
    if (!response.body) throw new UcBridgeError(SdkErrorCodes.streamFailed, 'The status stream has no body.');
    enter('open');
    delay = retryMs;
    refreshedOnce = false;
    for await (const event of events(response.body)) {
      if (event.retry !== undefined) delay = retryMs = event.retry;
      if (event.event === 'status') {
        lastEventId = event.id ?? lastEventId;
        listener(JSON.parse(event.data) as StatusInfo);
      } else if (event.event === 'end') {
        const { code } = JSON.parse(event.data) as { code: string };
        throw new UcBridgeError(code, 'The status stream was ended by the server.');
      } else if (event.heartbeat) {
        options.onHeartbeat?.();
      }
    }
  }

  /**
   * When to try again after `error`: at once only when the server has just refused the token as
   * expired (the attempt refreshes past it, once); never after an ended session; else after back-off,
   * a failed refresh included (retrying that at once would hammer the refresh endpoint).
   */
  function nextAttempt(error: unknown): 'now' | 'later' | 'never' {
    if (!(error instanceof UcBridgeError) || !isSessionEnded(error)) return 'later';
    return error.code === 'session_expired' && rejected !== undefined && !refreshedOnce ? 'now' : 'never';
  }

  async function run(): Promise<void> {
    enter('connecting');
    while (!controller.signal.aborted) {
      try {
        await connectOnce();
      } catch (error) {
        if (controller.signal.aborted) break;
        const next = nextAttempt(error);
        if (next === 'never') {
          enter('closed');
          options.onError?.(error as UcBridgeError);
          return;
        }
        if (next === 'now') {
          refreshedOnce = true;
          continue;
        }
      }
      if (controller.signal.aborted) break;
      // Dropped or closed by the server: wait (the server's `retry`, doubling while it keeps failing), then resume.
      enter('reconnecting');
      await sleep(delay, controller.signal);
      delay = Math.min(delay * 2, MAX_BACKOFF_MS);
    }
    enter('closed');
  }

  void run();
  return () => controller.abort();
}
