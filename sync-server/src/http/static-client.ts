// Serves the built client (CLIENT_DIR) when it exists: static files, and index.html for
// any other GET outside /api and /sync (client-side routing), compressed where the build left
// a .br or .gz copy and the browser accepts it. Caching: Vite's hashed
// files under /assets/ never change (immutable); the shell files must be revalidated on
// every load or a deployed update would never reach the browser.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from './context.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const SHELL_FILES = new Set([
  '/index.html',
  '/sw.js',
  '/registerSW.js',
  '/manifest.webmanifest',
  '/manifest.json',
]);

export function cacheControlFor(requestPath: string): string {
  if (SHELL_FILES.has(requestPath) || requestPath === '/') return REVALIDATE;
  if (requestPath.startsWith('/assets/')) return IMMUTABLE;
  // workbox-<hash>.js is content-hashed by its build too.
  if (/^\/workbox-[0-9a-f]{6,}\.js$/.test(requestPath)) return IMMUTABLE;
  return 'public, max-age=3600';
}

function isReserved(p: string): boolean {
  return p === '/api' || p.startsWith('/api/') || p === '/sync' || p.startsWith('/sync/');
}

/** null when there is no built client to serve. */
export function staticClient(clientDir: string): Hono<AppEnv> | null {
  const indexFile = path.join(clientDir, 'index.html');
  if (!existsSync(indexFile)) return null;
  const app = new Hono<AppEnv>();
  // The build writes .br and .gz beside big files; they go to browsers that accept them.
  const files = serveStatic<AppEnv>({ root: clientDir, precompressed: true });
  app.use(async (c, next) => {
    if (isReserved(c.req.path)) return next();
    const found = await files(c, next);
    // serveStatic returns the file's response; on a miss it ran next() and returns nothing.
    if (!(found instanceof Response) || found.status >= 400) return found;
    const res = new Response(found.body, found);
    res.headers.set('Cache-Control', cacheControlFor(c.req.path));
    return res;
  });

  // SPA fallback: paths that look like files (have an extension) stay 404.
  app.get('*', (c, next) => {
    if (isReserved(c.req.path) || path.extname(c.req.path) !== '') return next();
    c.header('Cache-Control', REVALIDATE);
    return c.html(readFileSync(indexFile, 'utf8'));
  });
  return app;
}
