import { describe, expect, it } from 'vitest';
import { formatMarker, inOpenFence, wrapSelection } from './format-keys.js';

const key = (
  k: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>>,
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

/** Applies an edit the way the composer does and shows the selection as [ ]. */
function apply(value: string, start: number, end: number, marker: string): string {
  const e = wrapSelection(value, start, end, marker);
  const next = value.slice(0, e.from) + e.insert + value.slice(e.to);
  return `${next.slice(0, e.selectFrom)}[${next.slice(e.selectFrom, e.selectTo)}]${next.slice(e.selectTo)}`;
}

describe('formatting keys', () => {
  it('knows bold, italic and struck with Ctrl or ⌘, and nothing else', () => {
    expect(formatMarker(key('b', { ctrlKey: true }))).toBe('**');
    expect(formatMarker(key('B', { metaKey: true }))).toBe('**');
    expect(formatMarker(key('i', { ctrlKey: true }))).toBe('_');
    expect(formatMarker(key('X', { ctrlKey: true, shiftKey: true }))).toBe('~~');
    expect(formatMarker(key('b', {}))).toBeNull();
    expect(formatMarker(key('x', { ctrlKey: true }))).toBeNull(); // cut
    expect(formatMarker(key('b', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(formatMarker(key('Enter', { ctrlKey: true }))).toBeNull();
  });

  it('wraps the selection, or puts the caret between two markers', () => {
    expect(apply('say hello now', 4, 9, '**')).toBe('say **[hello]** now');
    expect(apply('say ', 4, 4, '_')).toBe('say _[]_');
  });

  it('unwraps text already wrapped in the same marker', () => {
    expect(apply('say **hello** now', 6, 11, '**')).toBe('say [hello] now');
    // Another marker around it wraps again instead.
    expect(apply('say **hello** now', 6, 11, '_')).toBe('say **_[hello]_** now');
  });

  it('tells whether the caret is inside an open code block', () => {
    expect(inOpenFence('look:\n```\nconst a = 1;')).toBe(true);
    expect(inOpenFence('```\ncode\n```\nafter')).toBe(false);
    expect(inOpenFence('plain `code` text')).toBe(false);
  });
});
