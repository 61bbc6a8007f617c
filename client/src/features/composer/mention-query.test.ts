import { describe, expect, it } from 'vitest';
import { insertMention, matchMentionables, mentionQuery } from './mention-query.js';

describe('mention query', () => {
  it('finds the @name being typed before the caret, and nothing else', () => {
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('hi @Be', 6)).toEqual({ start: 3, query: 'be' });
    expect(mentionQuery('(@ana', 5)).toEqual({ start: 1, query: 'ana' });
    expect(mentionQuery('mail me@example', 15)).toBeNull(); // an address, not a mention
    expect(mentionQuery('@ana done', 9)).toBeNull(); // the caret left the name
    expect(mentionQuery('hi @ana and more', 7)).toEqual({ start: 3, query: 'ana' });
    expect(mentionQuery('@a-b', 4)).toBeNull();
  });

  it('matches usernames and words of names, in order, up to the limit', () => {
    const people = [
      { username: 'ana_l', name: 'Ana Lima' },
      { username: 'ben', name: 'Ben Okafor' },
      { username: 'assistant', name: 'Assistant' },
      { username: 'chloe', name: 'Chloé Lima' },
    ];
    expect(matchMentionables(people, 'a').map((p) => p.username)).toEqual(['ana_l', 'assistant']);
    expect(matchMentionables(people, 'lim').map((p) => p.username)).toEqual(['ana_l', 'chloe']);
    expect(matchMentionables(people, '', 2)).toHaveLength(2);
    expect(matchMentionables(people, 'zed')).toEqual([]);
  });

  it('replaces the typed part with the username and a space', () => {
    const text = 'hi @be how are you';
    const at = mentionQuery(text, 6)!;
    expect(insertMention(text, at, 6, 'ben')).toEqual({ text: 'hi @ben how are you', caret: 8 });
    expect(insertMention('@a', mentionQuery('@a', 2)!, 2, 'ana_l')).toEqual({
      text: '@ana_l ',
      caret: 7,
    });
  });
});
