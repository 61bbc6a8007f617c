import { describe, expect, it } from 'vitest';
import { matchesFilter, searchWords } from './conversation-filter.js';

describe('matchesFilter', () => {
  const team = searchWords(['Design team', 'Ana Lima', 'ana_l', 'Zoë']);

  it('matches words by their start, ignoring case and accents', () => {
    expect(matchesFilter(team, 'des')).toBe(true);
    expect(matchesFilter(team, 'TEAM')).toBe(true);
    expect(matchesFilter(team, 'zoe')).toBe(true);
    expect(matchesFilter(team, 'lim ana')).toBe(true);
    expect(matchesFilter(team, 'ana_l')).toBe(true);
  });

  it('needs every word typed, and only at the start of a word', () => {
    expect(matchesFilter(team, 'eam')).toBe(false);
    expect(matchesFilter(team, 'design bob')).toBe(false);
    expect(matchesFilter(searchWords(['Banana team']), 'ana')).toBe(false);
  });

  it('lets everything through for an empty or blank query', () => {
    expect(matchesFilter(team, '')).toBe(true);
    expect(matchesFilter(team, '  ,. ')).toBe(true);
  });
});
