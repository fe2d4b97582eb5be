import { statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteModule, ZodApp } from '../context.js';

/** Where `vite build -c server/admin-ui/vite.config.ts` writes the page. */
export const ADMIN_UI_DIST = fileURLToPath(new URL('../../../dist/admin-ui/', import.meta.url));

/** The page loads only its own scripts and styles and talks only to this server. */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>ucbridge admin</title>
<h1>The admin page has not been built</h1>
<p>Run <code>npm run build</code> in the ucbridge folder, then reload this page.
The REST API at <code>/api/v1</code> works without it.</p></html>`;

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** A file of the build, or undefined when the path is not one (or tries to leave the folder). */
function buildFile(root: string, path: string): string | undefined {
  const full = resolve(root, path);
  const inside = relative(root, full);
  if (!inside || inside.startsWith('..') || !isFile(full)) return undefined;
  return inside;
}

function sendPage(root: string, reply: FastifyReply): FastifyReply {
  if (!isFile(join(root, 'index.html'))) return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
  void reply.header('content-security-policy', PAGE_CSP);
  return reply.sendFile('index.html', { cacheControl: false }).header('cache-control', 'no-cache');
}

/**
 * Serves the admin page at /admin: built assets as files (hashed names, cached for good) and
 * every other /admin path as the page itself, whose client-side router shows the section.
 */
export function adminUiRoutesFrom(root: string): (app: ZodApp) => Promise<void> {
  return async (app: ZodApp) => {
    await app.register(async (plain) => {
      // Registered in its own scope so its reply decorator cannot clash with another module's.
      await plain.register(fastifyStatic, { root, serve: false });
      const scope = plain.withTypeProvider<ZodTypeProvider>();
      scope.get('/admin', { schema: { hide: true } }, (_request, reply) => sendPage(root, reply));
      scope.get(
        '/admin/*',
        { schema: { hide: true, params: z.object({ '*': z.string() }) } },
        (request, reply) => {
          const path = request.params['*'];
          const file = buildFile(root, path);
          const hashed = file?.startsWith('assets/') ?? false;
          if (file) return reply.sendFile(file, hashed ? { maxAge: '365d', immutable: true } : {});
          if (path.startsWith('assets/')) return reply.callNotFound();
          return sendPage(root, reply);
        },
      );
    });
  };
}

export const adminUiRoutes: RouteModule = adminUiRoutesFrom(ADMIN_UI_DIST);
