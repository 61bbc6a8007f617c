// Mentions in a message's text: `@username` of someone in the conversation (or
// `@assistant`) is shown as a mention, mine stronger. Text without `@` is returned as it is,
// so the rows of ordinary messages build nothing more.
import type { JSX } from 'solid-js';
import { MENTION_PATTERN } from '@canopy/shared';

/** Someone `@` can name in a conversation. */
export interface Mentionable {
  username: string;
  /** display name, for matching and for the list */
  name: string;
}

/** The name that calls a group's assistant (the server listens for it). */
export const ASSISTANT_MENTION = 'assistant';

export function withMentions(
  text: string,
  names: ReadonlySet<string>,
  myName: string,
): string | Array<string | JSX.Element> {
  if (!text.includes('@')) return text;
  const parts: Array<string | JSX.Element> = [];
  let last = 0;
  for (const m of text.matchAll(MENTION_PATTERN)) {
    const name = (m[2] ?? '').toLowerCase();
    if (!names.has(name)) continue;
    const at = (m.index ?? 0) + (m[1] ?? '').length;
    if (at > last) parts.push(text.slice(last, at));
    const end = at + 1 + name.length;
    parts.push(
      <span class="mention" classList={{ 'mention-me': name === myName }}>
        {text.slice(at, end)}
      </span>,
    );
    last = end;
  }
  if (parts.length === 0) return text;
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
