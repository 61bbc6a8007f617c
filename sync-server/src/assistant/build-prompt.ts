// What the model sees: the mention test, the system instruction and the recent messages as
// Gemini `contents`. People's messages are user turns ("Name: text"), the bot's own are
// model turns; attachments appear as a one-line note (never their bytes). Pure: no I/O.
import type { Content } from '@google/generative-ai';
import type { MessageRecord, UserId } from '@canopy/shared';

/** `@assistant` as a word of its own: not inside an email address, not `@assistants`. */
const MENTION = /(?:^|[^\w@.])@assistant(?![\w-])/i;

export function mentionsAssistant(text: string | undefined): boolean {
  return text !== undefined && MENTION.test(text);
}

export const SYSTEM_INSTRUCTION = [
  'You are "Assistant", a participant in a small group chat.',
  'Each user turn holds chat messages, one per paragraph, as "Name: text".',
  'Answer the latest message that mentions @assistant, briefly and in the language it was',
  'written in, with no preamble. The chat shows **bold**, _italic_, ~~struck~~, `code`,',
  '``` code blocks and > quotes; it shows headings, lists, tables and markdown links as',
  'typed, so write those as plain lines.',
].join(' ');

/** Bounds the prompt: twenty messages of up to 10,000 characters would be 200 kB. */
export const MAX_CONTEXT_CHARS_PER_MESSAGE = 2000;

function clip(text: string): string {
  return text.length <= MAX_CONTEXT_CHARS_PER_MESSAGE
    ? text
    : `${text.slice(0, MAX_CONTEXT_CHARS_PER_MESSAGE)}…`;
}

function describe(record: MessageRecord): string {
  const parts: string[] = [];
  if (record.text) parts.push(clip(record.text));
  const a = record.attachment;
  if (a)
    parts.push(`[${a.mime.startsWith('image/') ? 'image' : 'file'}${a.name ? `: ${a.name}` : ''}]`);
  return parts.join(' ');
}

/**
 * Oldest first. Consecutive turns of one role are merged (one part per message), and the
 * list starts with a user turn, as multi-turn requests expect.
 */
export function buildContents(
  messages: readonly MessageRecord[],
  botId: UserId,
  nameOf: (id: UserId) => string,
): Content[] {
  const contents: Content[] = [];
  for (const record of messages) {
    const body = describe(record);
    if (body === '') continue;
    const fromBot = record.authorId === botId;
    const role = fromBot ? 'model' : 'user';
    if (contents.length === 0 && fromBot) continue;
    const text = fromBot ? body : `${nameOf(record.authorId)}: ${body}`;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push({ text });
    else contents.push({ role, parts: [{ text }] });
  }
  return contents;
}
