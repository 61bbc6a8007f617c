// Mentions in a message's text: `@` + a username (3-32 of a-z, 0-9, _) at the start of the
// text or after whitespace or an opening bracket. The app shows them and offers them as you
// type; the server tells the people named that they were mentioned (its event channel
// carries the flag, never the text).

/**
 * Matches one mention; group 1 is what precedes the `@`, group 2 the name. A name followed
 * by `-` is not one (as the assistant's trigger reads it).
 */
export const MENTION_PATTERN = /(^|[\s([{])@([a-z0-9_]{3,32})(?![a-z0-9_-])/gi;

/** The names a text mentions, lower case, each once, in order. */
export function mentionedUsernames(text: string | undefined): string[] {
  if (!text?.includes('@')) return [];
  const names = new Set<string>();
  for (const m of text.matchAll(MENTION_PATTERN)) names.add((m[2] ?? '').toLowerCase());
  return [...names];
}
