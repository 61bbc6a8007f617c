// One message row: day separator when the day changes, "New messages" above the first
// message that was unread when the conversation opened, author and avatar unless the same
// author wrote the previous message shortly before, the message it replies to, the text as
// last edited (or the editor, while I edit it) and whether it is pinned, a preview of its
// first web link, reactions, and for my own messages the delivery status (on this device →
// on the server → read by N / read by all, naming who). Rows are focusable; the actions button of the row under the pointer
// or holding focus is mounted into it from outside (active-row-actions.tsx). Images and
// files render through AttachmentView.
import { Show, createMemo, createSignal, onCleanup } from 'solid-js';
import type { JSX } from 'solid-js';
import { messageRecordSchema } from '@canopy/shared';
import type { MessageRecord, UserId } from '@canopy/shared';
import { useWorkspace } from '../../state/app-context.js';
import { AttachmentView } from '../attachments/attachment-view.js';
import type { Conversation, MessageStatus } from '../../state/conversation.js';
import { Avatar } from '../../ui/avatar.js';
import { EDIT_MESSAGE_EVENT } from './active-row-actions.js';
import { LinkPreviewCard, previewLink } from './link-preview-card.js';
import { MessageEditor } from './message-editor.js';
import { ReactionBar } from './reaction-bar.js';
import { ReplyQuote } from './reply-quote.js';
import { dayKey, formatDay, formatFull, formatTime } from '../../util/format.js';
import { formattedText } from '../../util/formatted-text.js';

const GROUP_WINDOW_MS = 5 * 60_000;
const MAX_NAMED_READERS = 10;
const checked = new WeakMap<MessageRecord, boolean>();

/** Records are validated lazily, only when shown: cheap for 50 rows, never for 100k. */
function isValid(rec: MessageRecord): boolean {
  let ok = checked.get(rec);
  if (ok === undefined) {
    ok = messageRecordSchema.safeParse(rec).success;
    checked.set(rec, ok);
  }
  return ok;
}

export function statusText(status: MessageStatus): string {
  switch (status.kind) {
    case 'device':
      return 'On this device';
    case 'server':
      return 'On the server';
    case 'read':
      return status.all ? 'Read by all' : `Read by ${status.count}`;
  }
}

/** " (edited)", " (pinned)" or " (edited, pinned)" after the text. */
function noteOf(s: { edited: boolean; pinned: boolean }): string {
  const notes = [s.edited ? 'edited' : '', s.pinned ? 'pinned' : ''].filter(Boolean);
  return ` (${notes.join(', ')})`;
}

/** Who read it, for the status's label and tooltip: "Ana, Ben" (at most 10 named). */
function readersText(status: MessageStatus, name: (id: UserId) => string): string {
  if (status.kind !== 'read') return '';
  const named = status.readers.slice(0, MAX_NAMED_READERS).map(name);
  const more = status.readers.length - named.length;
  return `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

export interface RowActions {
  /** Reply to this message (the composer shows what it answers). */
  reply: (record: MessageRecord) => void;
  /** Show message `index` in the list. */
  jump: (index: number) => void;
}

export function MessageRow(props: {
  conv: Conversation;
  index: number;
  actions: RowActions;
}): JSX.Element {
  const ws = useWorkspace();
  const rec = createMemo(() => {
    const r = props.conv.message(props.index);
    return r && isValid(r) ? r : undefined;
  });
  const prev = createMemo(() =>
    props.index > 0 ? props.conv.message(props.index - 1) : undefined,
  );
  const newDay = (): boolean => {
    const r = rec();
    const p = prev();
    return r !== undefined && (p === undefined || dayKey(p.createdAt) !== dayKey(r.createdAt));
  };
  const unreadStart = (): boolean => {
    const r = rec();
    return r !== undefined && props.conv.unread.start() === r.id;
  };
  const continued = (): boolean => {
    const r = rec();
    const p = prev();
    return (
      !newDay() &&
      !unreadStart() &&
      r !== undefined &&
      p !== undefined &&
      p.authorId === r.authorId &&
      r.createdAt - p.createdAt < GROUP_WINDOW_MS
    );
  };
  const mine = (): boolean => rec()?.authorId === ws.me.id;
  const status = createMemo(() => (mine() ? props.conv.messageStatus(props.index) : null));
  const shown = createMemo(() => {
    const r = rec();
    return r ? props.conv.shown(r) : { text: undefined, edited: false, pinned: false };
  });
  const deleted = (): boolean => {
    const r = rec();
    return r !== undefined && props.conv.deleted(r);
  };
  const [editing, setEditing] = createSignal(false);

  return (
    <Show when={rec()} fallback={<div class="message invalid">This message cannot be shown.</div>}>
      {(r) => (
        <>
          {/* One condition for both separators: rows without one pay for no extra part. */}
          <Show when={newDay() || unreadStart()}>
            <Show when={newDay()}>
              <div class="day-separator" role="separator" aria-label={formatDay(r().createdAt)}>
                <span>{formatDay(r().createdAt)}</span>
              </div>
            </Show>
            <Show when={unreadStart()}>
              <div
                class="unread-separator"
                role="separator"
                aria-label="New messages"
                ref={(el) => onCleanup(props.conv.unread.track(el))}
              >
                <span>New messages</span>
              </div>
            </Show>
          </Show>
          <article
            class="message"
            classList={{ mine: mine(), continued: continued(), editing: editing() }}
            aria-label={`${ws.userName(r().authorId)} at ${formatTime(r().createdAt)}`}
            data-message-id={r().id}
            tabIndex={0}
            ref={(el) => el.addEventListener(EDIT_MESSAGE_EVENT, () => setEditing(true))}
          >
            <div class="message-gutter">
              <Show when={!continued()}>
                <Avatar id={r().authorId} name={ws.userName(r().authorId)} size={32} />
              </Show>
            </div>
            <div class="message-body">
              <Show when={!continued()}>
                <header class="message-meta">
                  <span class="message-author">{ws.userName(r().authorId)}</span>
                  <time
                    datetime={new Date(r().createdAt).toISOString()}
                    title={formatFull(r().createdAt)}
                  >
                    {formatTime(r().createdAt)}
                  </time>
                </header>
              </Show>
              <Show when={r().replyTo}>
                {(id) => (
                  <ReplyQuote conv={props.conv} replyTo={id()} onJump={props.actions.jump} />
                )}
              </Show>
              <Show
                when={!deleted()}
                fallback={<p class="message-text deleted">This message was deleted.</p>}
              >
                <Show
                  when={!editing()}
                  fallback={
                    <MessageEditor
                      record={r()}
                      initial={shown().text ?? ''}
                      onSave={(record, text) => props.conv.edit(record, text)}
                      mentionables={props.conv.mentionables}
                      onDone={() => setEditing(false)}
                    />
                  }
                >
                  <Show when={shown().text !== undefined || !r().attachment}>
                    <div class="message-text">
                      <span>
                        {formattedText(
                          shown().text ?? (r().kind === 'image' ? '[image]' : '[file]'),
                          props.conv.mentionNames(),
                          ws.me.username,
                        )}
                      </span>
                      <Show when={shown().edited || shown().pinned}>
                        <span class="message-edited">{noteOf(shown())}</span>
                      </Show>
                    </div>
                    <Show when={previewLink(shown().text)}>
                      {(url) => <LinkPreviewCard url={url()} />}
                    </Show>
                  </Show>
                </Show>
                <Show when={r().attachment}>
                  {(a) => (
                    <AttachmentView
                      kind={r().kind}
                      attachment={a()}
                      mine={mine()}
                      upload={props.conv.uploadState(r())}
                    />
                  )}
                </Show>
                <ReactionBar conv={props.conv} messageId={r().id} />
              </Show>
              <Show when={status()}>
                {(s) => {
                  const who = (): string => readersText(s(), (id) => ws.userName(id));
                  return (
                    <span
                      class="message-status"
                      data-status={s().kind}
                      aria-label={`Status: ${statusText(s())}${who() ? `: ${who()}` : ''}`}
                      title={who() || undefined}
                    >
                      {statusText(s())}
                    </span>
                  );
                }}
              </Show>
            </div>
          </article>
        </>
      )}
    </Show>
  );
}
