import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Pipeline } from './pipeline.js';
import type { EmuRequest } from './types.js';

const MAX_BODY = 32 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function toEmuRequest(req: IncomingMessage, body: Buffer, origin: string): EmuRequest {
  const url = new URL(req.url ?? '/', origin);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    /* keep the raw path: the router will answer 404 */
  }
  return { method: (req.method ?? 'GET').toUpperCase(), path, query: url.searchParams, headers, body, origin, batched: false };
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Serves the pipeline over HTTPS on loopback. */
export async function startHttpsServer(opts: { host: string; port: number; key: string; cert: string; pipeline: Pipeline; originHost: string }): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  let origin = '';
  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const emuReq = toEmuRequest(req, await readBody(req), origin);
      const result = await opts.pipeline.handle(emuReq, true);
      if (result === 'reset') {
        req.socket.destroy();
        return;
      }
      res.writeHead(result.status, result.headers);
      res.end(result.body);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`emulator error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  };
  const server = createServer({ key: opts.key, cert: opts.cert }, (req, res) => void onRequest(req, res));
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://${opts.originHost}:${port}`;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
