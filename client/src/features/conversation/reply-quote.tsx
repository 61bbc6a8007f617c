// The message a reply answers, quoted above it: author and the start of its text. Choosing
// it shows the original in the list. An original that was deleted, or that this device
// does not have, says so instead.
import { Show } from 'solid-js';
import type { JSX } from 'solid-js';
import type { MessageId } from '@canopy/shared';
import { useWorkspace } from '../../state/app-context.js';
import type { Conversation } from '../../state/conversation.js';
import { messageGist } from '../../util/format.js';
import { plainText } from '../../util/formatted-text.js';

const QUOTE_CHARS = 120;

export function quoteText(text: string | undefined, kind: string): string {
  const t = plainText(messageGist(text, kind)).trim();
  return t.length > QUOTE_CHARS ? `${t.slice(0, QUOTE_CHARS)}…` : t;
}

export function ReplyQuote(props: {
  conv: Conversation;
  replyTo: MessageId;
  onJump: (index: number) => void;
}): JSX.Element {
  const ws = useWorkspace();
  const index = (): number => props.conv.indexOf(props.replyTo);
  const original = (): ReturnType<Conversation['message']> => props.conv.message(index());
  return (
    <Show
      when={index() >= 0 && original()}
      fallback={<p class="reply-quote missing">Reply to a message that is not available</p>}
    >
      {(o) => {
        const author = (): string => ws.userName(o().authorId);
        const text = (): string => quoteText(props.conv.shown(o()).text, o().kind);
        return (
          <button
            type="button"
            class="reply-quote"
            aria-label={`Reply to ${author()}: ${text()}. Show that message`}
            onClick={() => props.onJump(index())}
          >
            <strong>{author()}</strong> {text()}
          </button>
        );
      }}
    </Show>
  );
}
