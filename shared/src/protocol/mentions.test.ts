import { describe, expect, it } from 'vitest';
import { mentionedUsernames } from './mentions.js';

describe('mentions', () => {
  it('finds @names at word starts, once each, and ignores addresses and short names', () => {
    expect(mentionedUsernames('Hi @Ana_1 and @ben, (@ana_1) again')).toEqual(['ana_1', 'ben']);
    expect(mentionedUsernames('mail me@example.com or @al')).toEqual([]);
    expect(mentionedUsernames('@assistant what is new?')).toEqual(['assistant']);
    expect(mentionedUsernames('@ana-b')).toEqual([]);
    expect(mentionedUsernames(undefined)).toEqual([]);
  });
});
