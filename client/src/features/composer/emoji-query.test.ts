import { describe, expect, it } from 'vitest';
import { emojiQuery, applyEmoji } from './emoji-query.js';

describe('emojiQuery', () => {
  it('finds a :name of two or more characters before the caret', () => {
    expect(emojiQuery(':th', 3)).toEqual({ start: 0, query: 'th' });
    expect(emojiQuery('great :Thumbs', 13)).toEqual({ start: 6, query: 'thumbs' });
    expect(emojiQuery('(:+1', 4)).toEqual({ start: 1, query: '+1' });
    expect(emojiQuery('a :smile b', 8)).toEqual({ start: 2, query: 'smile' });
  });

  it('offers nothing for one character, times, links or a closed :name:', () => {
    expect(emojiQuery(':t', 2)).toBeNull();
    expect(emojiQuery('at 10:30', 8)).toBeNull();
    expect(emojiQuery('see https://x', 13)).toBeNull();
    expect(emojiQuery('word:smile', 10)).toBeNull();
    expect(emojiQuery(':smile: ', 8)).toBeNull();
    expect(emojiQuery(':smile b', 8)).toBeNull();
  });
});

describe('applyEmoji', () => {
  it('replaces the :name up to the caret and keeps what follows', () => {
    const text = 'nice :thu and more';
    const at = emojiQuery(text, 9);
    expect(at).not.toBeNull();
    expect(applyEmoji(text, at!, 9, '👍')).toEqual({ text: 'nice 👍 and more', caret: 7 });
  });
});
