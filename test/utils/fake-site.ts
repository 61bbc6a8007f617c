// A small web site on 127.0.0.1 for link preview tests: fixed pages, redirects, a large
// page and answers that have no preview; it counts the requests each path received.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerCleanup } from './cleanup.js';

export interface FakeSite {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** requests received per path */
  hits: Map<string, number>;
}

const ARTICLE = `<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="Release 2.0 &amp; what changed">
<meta property="og:description" content="Faster sync, starred conversations and more.">
<meta property="og:site_name" content="Canopy Blog">
</head><body><p>secret body text</p></body></html>`;

export async function startFakeSite(): Promise<FakeSite> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const html = (body: string | Buffer, type = 'text/html; charset=utf-8'): void => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    switch (path) {
      case '/article':
        return html(ARTICLE);
      case '/plain':
        return html('<title>Just a title</title><p>x</p>');
      case '/latin1':
        return html(
          Buffer.from('<title>Caf\u00e9 menu</title>', 'latin1'),
          'text/html; charset=ISO-8859-1',
        );
      case '/nothing':
        return html('<html><body><h1>No head at all</h1></body></html>');
      case '/to-article':
        res.writeHead(302, { location: '/article' });
        return res.end();
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        return res.end();
      case '/image':
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(Buffer.alloc(64));
      case '/huge': {
        // A head, then 4 MB of body: the reader stops long before the end.
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<head><title>A very long page</title></head><body>');
        const chunk = 'x'.repeat(64 * 1024);
        let left = 64;
        const more = (): void => {
          while (left > 0) {
            left--;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          res.end('</body>');
        };
        return more();
      }
      default:
        res.writeHead(404, { 'content-type': 'text/html' });
        return res.end('<title>Not found</title>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  registerCleanup(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${port}`, port, hits };
}
