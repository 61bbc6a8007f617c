import { describe, expect, it } from 'vitest';
import { oneLine, pageCharset, readPreview } from './read-preview.js';

const page = new URL('https://news.example.com/a/1');

describe('readPreview', () => {
  it('prefers Open Graph tags, then Twitter tags, then the page title and description', () => {
    const html = `<!doctype html><html><head>
      <title>Plain title</title>
      <meta name="description" content="Plain description">
      <meta name="twitter:title" content="Twitter title">
      <meta property="og:title" content="The &amp; OG
        title">
      <meta property="og:site_name" content="Example News">
    </head><body><meta property="og:description" content="in the body: ignored"></body></html>`;
    expect(readPreview(html, page)).toEqual({
      siteName: 'Example News',
      title: 'The & OG title',
      description: 'Plain description',
    });
  });

  it("falls back to the page's title and the host name", () => {
    expect(readPreview('<title> Release notes\n 2.0 </title><p>hi</p>', page)).toEqual({
      siteName: 'news.example.com',
      title: 'Release notes 2.0',
    });
  });

  it('gives nothing for a page that names neither a title nor a description', () => {
    expect(readPreview('<html><body><h1>Hello</h1></body></html>', page)).toBeNull();
    expect(readPreview('<meta property="og:title" content="  ">', page)).toBeNull();
    expect(readPreview('', page)).toBeNull();
  });

  it('keeps markup in tags as text and cuts long text', () => {
    const long = 'word '.repeat(200);
    const preview = readPreview(
      `<meta property="og:title" content="<script>alert(1)</script>"><meta name="description" content="${long}">`,
      page,
    );
    expect(preview?.title).toBe('<script>alert(1)</script>');
    expect(preview?.description).toHaveLength(300);
    expect(preview?.description?.endsWith('…')).toBe(true);
  });
});

describe('oneLine', () => {
  it('collapses whitespace', () => {
    expect(oneLine('  a \n\t b  ', 10)).toBe('a b');
    expect(oneLine('abcdefghijkl', 5)).toBe('abcd…');
  });
});

describe('pageCharset', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('reads the header first, then the meta tags, else utf-8', () => {
    expect(pageCharset('text/html; charset=ISO-8859-1', bytes('<meta charset="utf-8">'))).toBe(
      'iso-8859-1',
    );
    expect(pageCharset('text/html', bytes('<head><meta charset="windows-1252">'))).toBe(
      'windows-1252',
    );
    expect(
      pageCharset(
        undefined,
        bytes('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'),
      ),
    ).toBe('shift_jis');
    expect(pageCharset('text/html', bytes('<title>x</title>'))).toBe('utf-8');
  });
});
