// The reactions under a message: one toggle per emoji with its count; pressed when one of
// them is mine (clicking takes mine back, or adds it). The names are in the accessible name
// and the tooltip.
import { For, Show } from 'solid-js';
import type { JSX } from 'solid-js';
import type { MessageId } from '@canopy/shared';
import { useWorkspace } from '../../state/app-context.js';
import type { Conversation } from '../../state/conversation.js';

export function ReactionBar(props: { conv: Conversation; messageId: MessageId }): JSX.Element {
  const ws = useWorkspace();
  const reactions = (): ReturnType<Conversation['reactions']> =>
    props.conv.reactions(props.messageId);
  return (
    <Show when={reactions().length > 0}>
      <div class="reactions" role="group" aria-label="Reactions">
        <For each={reactions()}>
          {(r) => {
            const names = (): string =>
              r.users.map((u) => (u === ws.me.id ? 'you' : ws.userName(u))).join(', ');
            return (
              <button
                type="button"
                class="reaction"
                aria-pressed={r.users.includes(ws.me.id)}
                aria-label={`${r.emoji} ${r.users.length}: ${names()}`}
                title={names()}
                onClick={() => props.conv.react(props.messageId, r.emoji)}
              >
                {r.emoji} <span class="reaction-count">{r.users.length}</span>
              </button>
            );
          }}
        </For>
      </div>
    </Show>
  );
}
