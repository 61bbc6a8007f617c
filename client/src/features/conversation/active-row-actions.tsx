// The actions button of the active row (the one under the pointer or holding focus): one
// for the whole list, mounted into that row's element with a Portal, so the rows carry no
// actions code of their own. A button (or any reactive part) per row added ~60 ms to the
// open of a 100k-message group, in the renders of the cached tail and of the loaded list.
// Edit is handed to the row by an event on its element (the row owns its editor).
import { Show } from 'solid-js';
import type { JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import type { MessageId, MessageRecord } from '@canopy/shared';
import { useWorkspace } from '../../state/app-context.js';
import type { Conversation } from '../../state/conversation.js';
import { formatTime } from '../../util/format.js';
import { MessageActions } from './message-actions.js';

/** Dispatched on a row's element to open its editor. */
export const EDIT_MESSAGE_EVENT = 'canopy-edit-message';

export function ActiveRowActions(props: {
  conv: Conversation;
  row: HTMLElement;
  onReply: (record: MessageRecord) => void;
  /** the menu or its dialog is open: keep this row active */
  onHold: (held: boolean) => void;
  onDeleted: (record: MessageRecord) => void;
}): JSX.Element {
  const ws = useWorkspace();
  // Keyed by row element in the caller, and let go on every reset: the id stays right.
  const id = props.row.getAttribute('data-message-id') as MessageId; // eslint-disable-line solid/reactivity
  const index = (): number => props.conv.indexOf(id);
  const record = (): MessageRecord | undefined => props.conv.message(index());
  return (
    <Show when={record()}>
      {(r) => (
        <Show when={!props.conv.deleted(r())}>
          <Portal mount={props.row}>
            <MessageActions
              conv={props.conv}
              record={r()}
              index={index()}
              label={`${ws.userName(r().authorId)} at ${formatTime(r().createdAt)}`}
              onReply={() => props.onReply(r())}
              onEdit={() => props.row.dispatchEvent(new CustomEvent(EDIT_MESSAGE_EVENT))}
              onHold={(held) => props.onHold(held)}
              onDeleted={(record) => props.onDeleted(record)}
            />
          </Portal>
        </Show>
      )}
    </Show>
  );
}
