// Writes one answer into the group document as the bot: a placeholder message of kind
// 'bot' at once, then the growing text through the edits map (at most one edit per
// throttle period, one in flight at a time), then the final text. The record itself never
// changes: edits by the author are how every client shows the latest text.
import { MAX_MESSAGE_TEXT } from '@canopy/shared';
import type { GroupId, MessageId, UserId } from '@canopy/shared';
import type { Relay } from '../relay/relay-types.js';

export type AnswerRelay = Pick<Relay, 'postMessage' | 'editMessage'>;

export const PLACEHOLDER_TEXT = '…';
export const FAILURE_PREFIX = 'The assistant could not answer';

export interface AnswerWriter {
  /** Append streamed text; writes an edit when the throttle period has passed. */
  append(piece: string): Promise<void>;
  /** Whether the text reached the message size cap (stop reading the stream). */
  readonly full: boolean;
  /** Write the complete answer. */
  finish(): Promise<void>;
  /** Write the failure, after whatever text already arrived. */
  fail(reason: string): Promise<void>;
}

function clip(text: string): string {
  return text.length <= MAX_MESSAGE_TEXT ? text : `${text.slice(0, MAX_MESSAGE_TEXT - 1)}…`;
}

export async function startAnswer(options: {
  relay: AnswerRelay;
  groupId: GroupId;
  botId: UserId;
  replyTo: MessageId;
  throttleMs: number;
}): Promise<AnswerWriter> {
  const { relay, groupId, botId, throttleMs } = options;
  const record = await relay.postMessage(groupId, botId, {
    kind: 'bot',
    text: PLACEHOLDER_TEXT,
    replyTo: options.replyTo,
  });
  let text = '';
  let written = PLACEHOLDER_TEXT;
  let lastWriteAt = Date.now();

  async function write(next: string): Promise<void> {
    const clipped = clip(next);
    if (clipped === written) return;
    await relay.editMessage(groupId, botId, record.id, clipped);
    written = clipped;
    lastWriteAt = Date.now();
  }

  return {
    async append(piece) {
      text += piece;
      if (Date.now() - lastWriteAt >= throttleMs) await write(text);
    },
    get full() {
      return text.length >= MAX_MESSAGE_TEXT;
    },
    finish: () => write(text.trim() === '' ? `${FAILURE_PREFIX} (the answer was empty).` : text),
    fail: (reason) =>
      write(
        text.trim() === ''
          ? `${FAILURE_PREFIX} (${reason}).`
          : `${text}\n\n(The assistant could not finish: ${reason}.)`,
      ),
  };
}
