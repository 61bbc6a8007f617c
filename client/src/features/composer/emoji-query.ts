// Emoji by shortcode in the composer: the `:name` being typed right before the caret (two
// or more of a-z, 0-9, _, + and -, after the start of the text, whitespace or an opening
// bracket, so "10:30" and URLs offer nothing), and the text once the emoji replaces it.

export interface EmojiQuery {
  /** index of the `:` */
  start: number;
  /** what follows it, up to the caret (lower case) */
  query: string;
}

const TOKEN = /(?:^|[\s([{]):([a-z0-9_+-]{2,32})$/i;

export function emojiQuery(text: string, caret: number): EmojiQuery | null {
  const m = TOKEN.exec(text.slice(Math.max(0, caret - 40), caret));
  if (!m?.[1]) return null;
  return { start: caret - m[1].length - 1, query: m[1].toLowerCase() };
}

/** `text` with the `:name` at `at` (up to `caret`) replaced by `emoji`, and the caret after it. */
export function applyEmoji(
  text: string,
  at: EmojiQuery,
  caret: number,
  emoji: string,
): { text: string; caret: number } {
  return {
    text: text.slice(0, at.start) + emoji + text.slice(caret),
    caret: at.start + emoji.length,
  };
}
