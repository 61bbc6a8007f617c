// Link previews against a real web site on 127.0.0.1. By default the server reads only
// pages on public addresses, so the local site must never even be asked (by IP literal,
// by a name that resolves to it, or as IPv6 loopback); with LINK_PREVIEWS=all it reads the
// site's head, follows a redirect, stops reading a huge page early and keeps the answer.
import { describe, expect, it } from 'vitest';
import { linkPreviewResponseSchema, serverConfigResponseSchema } from '@canopy/shared';
import { startFakeSite } from '../utils/fake-site.js';
import { newUser } from '../utils/http-client.js';
import type { HttpClient } from '../utils/http-client.js';
import { startTestServer } from '../utils/start-server.js';

const ask = (user: HttpClient, url: string) =>
  user.get(`/api/link-preview?url=${encodeURIComponent(url)}`);

describe('link previews', () => {
  it('never reads a page inside the server’s own network by default', async () => {
    const site = await startFakeSite();
    const server = await startTestServer();
    const ana = await newUser(server.url, 'ana');
    const config = serverConfigResponseSchema.parse((await ana.get('/api/config')).body);
    expect(config.linkPreviews).toEqual({ available: true });

    for (const url of [
      `${site.url}/article`,
      `http://localhost:${site.port}/article`,
      `http://[::1]:${site.port}/article`,
      `http://[::ffff:127.0.0.1]:${site.port}/article`,
      `http://0.0.0.0:${site.port}/article`,
    ]) {
      expect((await ask(ana, url)).status, url).toBe(404);
    }
    expect(site.hits.size).toBe(0);

    // Bad requests.
    for (const url of ['ftp://example.com/x', 'javascript:alert(1)', 'not a url', '']) {
      expect((await ask(ana, url)).status, url).toBe(422);
    }
    expect((await ana.get('/api/link-preview')).status).toBe(422);
    const anonymous = await fetch(`${server.url}/api/link-preview?url=https://example.com/`);
    expect(anonymous.status).toBe(401);
  });

  it('reads titles and descriptions where the operator allows it, once per page', async () => {
    const site = await startFakeSite();
    const server = await startTestServer({ env: { LINK_PREVIEWS: 'all' } });
    const ana = await newUser(server.url, 'ana');
    const ben = await newUser(server.url, 'ben');
    const preview = async (user: HttpClient, path: string) => {
      const r = await user.expect(200, ask(user, `${site.url}${path}`));
      expect(r.headers.get('cache-control')).toMatch(/^private/);
      return linkPreviewResponseSchema.parse(r.body).preview;
    };

    expect(await preview(ana, '/article')).toEqual({
      url: `${site.url}/article`,
      siteName: 'Canopy Blog',
      title: 'Release 2.0 & what changed',
      description: 'Faster sync, starred conversations and more.',
    });
    // Ben asks for the same page: the server answers from memory.
    expect((await preview(ben, '/article')).title).toBe('Release 2.0 & what changed');
    expect(site.hits.get('/article')).toBe(1);

    expect(await preview(ana, '/plain')).toEqual({
      url: `${site.url}/plain`,
      siteName: '127.0.0.1',
      title: 'Just a title',
    });
    expect((await preview(ana, '/latin1')).title).toBe('Café menu');
    const redirected = await preview(ana, '/to-article');
    expect([redirected.url, redirected.title]).toEqual([
      `${site.url}/to-article`,
      'Release 2.0 & what changed',
    ]);
    expect((await preview(ana, '/huge')).title).toBe('A very long page');

    // No preview: a redirect loop, an image, a missing page, a page without a title.
    for (const path of ['/loop', '/image', '/missing', '/nothing']) {
      const r = await ask(ana, `${site.url}${path}`);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('cache-control'), path).toMatch(/^private/);
    }
    expect(site.hits.get('/loop')).toBe(4); // the first request and 3 redirects
  });

  it('is off with LINK_PREVIEWS=off', async () => {
    const site = await startFakeSite();
    const server = await startTestServer({ env: { LINK_PREVIEWS: 'off' } });
    const ana = await newUser(server.url, 'ana');
    const config = serverConfigResponseSchema.parse((await ana.get('/api/config')).body);
    expect(config.linkPreviews).toEqual({ available: false });
    expect((await ask(ana, `${site.url}/article`)).status).toBe(404);
    expect(site.hits.size).toBe(0);
  });
});
