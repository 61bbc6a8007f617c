// "Pinned messages": the open conversation's pins, the latest first, each with its author,
// time and who pinned it. Choosing one shows it in the list; owners and admins unpin here.
// Pins of messages deleted since are left out.
import { For, Show } from 'solid-js';
import type { JSX } from 'solid-js';
import type { MessageRecord, PinnedMessage } from '@canopy/shared';
import type { Conversation } from '../../state/conversation.js';
import { useWorkspace } from '../../state/app-context.js';
import { formatDay, formatTime, messageGist } from '../../util/format.js';
import { plainText } from '../../util/formatted-text.js';

export interface LivePin {
  pin: PinnedMessage;
  index: number;
  record: MessageRecord;
}

/** The pins whose message is here and not deleted, the latest pin first. */
export function livePins(conv: Conversation): LivePin[] {
  const live: LivePin[] = [];
  for (const pin of conv.pins()) {
    const index = conv.indexOf(pin.messageId);
    const record = index >= 0 ? conv.message(index) : undefined;
    if (record && !conv.deleted(record)) live.push({ pin, index, record });
  }
  return live;
}

export function PinnedPanel(props: {
  conv: Conversation;
  pins: LivePin[];
  onChoose: (index: number) => void;
  onClose: () => void;
}): JSX.Element {
  const ws = useWorkspace();
  const when = (at: number): string => `${formatDay(at)} ${formatTime(at)}`;
  return (
    <section
      class="search-panel"
      aria-label="Pinned messages"
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <div class="row">
        <p class="muted">
          {props.pins.length === 1 ? '1 pinned message' : `${props.pins.length} pinned messages`}
        </p>
        <button type="button" class="ghost" onClick={() => props.onClose()}>
          Close pinned messages
        </button>
      </div>
      <ul class="search-results" aria-label="Pinned messages">
        <For each={props.pins}>
          {(item) => {
            const gist = (): string =>
              plainText(messageGist(props.conv.shown(item.record).text, item.record.kind));
            return (
              <li class="pinned-item">
                <button
                  type="button"
                  class="search-result ghost"
                  onClick={() => props.onChoose(item.index)}
                >
                  <span class="search-result-meta">
                    {ws.userName(item.record.authorId)} · {when(item.record.createdAt)} · pinned by{' '}
                    {ws.userName(item.pin.by)}
                  </span>
                  <span class="search-result-text">{gist()}</span>
                </button>
                <Show when={props.conv.canPin()}>
                  <button
                    type="button"
                    class="ghost"
                    aria-label={`Unpin: ${gist()}`}
                    onClick={() => props.conv.togglePin(item.pin.messageId)}
                  >
                    Unpin
                  </button>
                </Show>
              </li>
            );
          }}
        </For>
      </ul>
    </section>
  );
}
