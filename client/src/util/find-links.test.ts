import { describe, expect, it } from 'vitest';
import { findLinks } from './find-links.js';

const urls = (text: string): string[] => findLinks(text).map((l) => l.url);

describe('findLinks', () => {
  it('finds web addresses with and without a scheme, and mail addresses', () => {
    const text = 'see https://example.com/a?q=1, www.canopy.chat or ana@example.org.';
    const links = findLinks(text);
    expect(links.map((l) => [l.text, l.url])).toEqual([
      ['https://example.com/a?q=1', 'https://example.com/a?q=1'],
      ['www.canopy.chat', 'http://www.canopy.chat'],
      ['ana@example.org', 'mailto:ana@example.org'],
    ]);
    // Positions name the text as written; the closing comma and full stop stay outside.
    for (const l of links) expect(text.slice(l.index, l.lastIndex)).toBe(l.text);
    expect(urls('docs at example.org.')).toEqual(['http://example.org']);
  });

  it('makes nothing of plain text or of other schemes', () => {
    expect(findLinks('Sure. See you at 5.30, ok?')).toEqual([]);
    expect(findLinks('')).toEqual([]);
    expect(urls('javascript:alert(1) and data:text/html,x and ftp://example.com/f')).toEqual([]);
    expect(urls('//example.com/x')).toEqual([]);
    expect(urls('at 10.0.0.1 today')).toEqual([]);
    // A mention is not an address.
    expect(urls('thanks @ana!')).toEqual([]);
  });
});
