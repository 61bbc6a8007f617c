// Mentions in the composer: the `@name` being typed right before the caret, and which people
// it can stand for. A mention is `@` + a username (3-32 of a-z, 0-9, _), at the start of the
// text or after whitespace or an opening bracket; `@assistant` calls the group's assistant.

import type { Mentionable } from '../../util/mentions.js';

export type { Mentionable };

export interface MentionQuery {
  /** index of the `@` */
  start: number;
  /** what follows it, up to the caret (lower case) */
  query: string;
}

const TOKEN = /(?:^|[\s([{])@([a-z0-9_]{0,32})$/i;

/** The mention being typed before `caret`, or null. */
export function mentionQuery(text: string, caret: number): MentionQuery | null {
  const before = text.slice(Math.max(0, caret - 40), caret);
  const m = TOKEN.exec(before);
  if (!m) return null;
  const query = (m[1] ?? '').toLowerCase();
  return { start: caret - query.length - 1, query };
}

/** People whose username or a word of whose name starts with the query; at most `limit`. */
export function matchMentionables(
  all: readonly Mentionable[],
  query: string,
  limit = 6,
): Mentionable[] {
  const q = query.toLowerCase();
  const words = (name: string): string[] => name.toLowerCase().split(/\s+/);
  return all
    .filter((p) => p.username.startsWith(q) || words(p.name).some((w) => w.startsWith(q)))
    .slice(0, limit);
}

/** `text` with the mention at `at` replaced by `@username ` and where the caret goes. */
export function insertMention(
  text: string,
  at: MentionQuery,
  caret: number,
  username: string,
): { text: string; caret: number } {
  const inserted = `@${username} `;
  const after = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, at.start) + inserted + after, caret: at.start + inserted.length };
}
