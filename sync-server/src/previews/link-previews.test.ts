import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { createLinkPreviews } from './link-previews.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A site whose pages answer only when released; it records how many were open at once. */
async function slowSite() {
  const waiting: (() => void)[] = [];
  const seen: string[] = [];
  let open = 0;
  let mostOpen = 0;
  server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    open++;
    mostOpen = Math.max(mostOpen, open);
    waiting.push(() => {
      open--;
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<title>Page ${req.url}</title>`);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    seen,
    mostOpen: () => mostOpen,
    /** answers the oldest open request once it has arrived */
    async release(): Promise<void> {
      while (waiting.length === 0) await new Promise((r) => server!.once('request', r));
      waiting.shift()?.();
    },
  };
}

describe('link previews', () => {
  it('reads a few pages at a time, and turns away more than may wait without keeping that', async () => {
    const site = await slowSite();
    const previews = createLinkPreviews({
      scope: 'all',
      log: createLogger('silent'),
      maxConcurrent: 1,
      maxWaiting: 1,
    });
    const first = previews.preview(site.url('/a'));
    const second = previews.preview(site.url('/b')); // waits for its turn
    // A third while one waits: no preview, at once.
    expect(await previews.preview(site.url('/c'))).toBeNull();
    await site.release();
    expect((await first)?.title).toBe('Page /a');
    await site.release();
    expect((await second)?.title).toBe('Page /b');
    expect(site.mostOpen()).toBe(1);
    expect(site.seen).toEqual(['/a', '/b']);

    // The turned-away address was not remembered as having no preview.
    const third = previews.preview(site.url('/c'));
    await site.release();
    expect((await third)?.title).toBe('Page /c');
    // A remembered one is answered without a fetch.
    expect((await previews.preview(site.url('/a')))?.title).toBe('Page /a');
    expect(site.seen).toEqual(['/a', '/b', '/c']);
  });
});
