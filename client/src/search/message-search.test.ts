import { describe, expect, it } from 'vitest';
import { createMessageSearch, normalizeForSearch, snippet } from './message-search.js';

const source = (texts: string[]) => ({
  get length() {
    return texts.length;
  },
  textAt: (i: number) => texts[i] ?? '',
});

describe('message search', () => {
  it('matches every word, ignoring case and accents, newest first', () => {
    const s = createMessageSearch(
      source(['Lunch at the Café?', 'no lunch today', 'CAFE lunch tomorrow', 'coffee']),
    );
    expect(s.search('cafe lunch', 10)).toEqual([2, 0]);
    expect(s.search('  LUNCH ', 10)).toEqual([2, 1, 0]);
    expect(s.search('lunch', 2)).toEqual([2, 1]);
    expect(s.search('tea', 10)).toEqual([]);
    expect(s.search('   ', 10)).toEqual([]);
  });

  it('sees messages appended after the first search', () => {
    const texts = ['hello'];
    const s = createMessageSearch(source(texts));
    expect(s.search('hello', 5)).toEqual([0]);
    texts.push('hello again');
    expect(s.search('hello', 5)).toEqual([1, 0]);
  });

  it('normalizes composed and decomposed forms alike', () => {
    expect(normalizeForSearch('Ame\u0301lie')).toBe(normalizeForSearch('Amélie'));
    expect(normalizeForSearch('Amélie')).toBe('amelie');
  });

  it('cuts a snippet around the first match', () => {
    const long = `${'x'.repeat(100)} needle ${'y'.repeat(100)}`;
    const cut = snippet(long, 'needle', 40);
    expect(cut).toContain('needle');
    expect(cut.startsWith('…')).toBe(true);
    expect(cut.endsWith('…')).toBe(true);
    expect(snippet('short text', 'text')).toBe('short text');
  });
});
