// One message row: day separator when the day changes, author and avatar unless the same
// author wrote the previous message shortly before, the text, and for my own messages
// the delivery status (on this device → on the server → read by N / read by all).
// Images and files render through AttachmentView.
import { Show, createMemo } from 'solid-js';
import type { JSX } from 'solid-js';
import { messageRecordSchema } from '@canopy/shared';
import type { MessageRecord } from '@canopy/shared';
import { useWorkspace } from '../../state/app-context.js';
import { AttachmentView } from '../attachments/attachment-view.js';
import type { Conversation, MessageStatus } from '../../state/conversation.js';
import { Avatar } from '../../ui/avatar.js';
import { dayKey, formatDay, formatTime } from '../../util/format.js';

const GROUP_WINDOW_MS = 5 * 60_000;
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

export function MessageRow(props: { conv: Conversation; index: number }): JSX.Element {
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
  const continued = (): boolean => {
    const r = rec();
    const p = prev();
    return (
      !newDay() &&
      r !== undefined &&
      p !== undefined &&
      p.authorId === r.authorId &&
      r.createdAt - p.createdAt < GROUP_WINDOW_MS
    );
  };
  const mine = (): boolean => rec()?.authorId === ws.me.id;
  const status = createMemo(() => (mine() ? props.conv.messageStatus(props.index) : null));

  return (
    <Show when={rec()} fallback={<div class="message invalid">This message cannot be shown.</div>}>
      {(r) => (
        <>
          <Show when={newDay()}>
            <div class="day-separator" role="separator" aria-label={formatDay(r().createdAt)}>
              <span>{formatDay(r().createdAt)}</span>
            </div>
          </Show>
          <article
            class="message"
            classList={{ mine: mine(), continued: continued() }}
            aria-label={`${ws.userName(r().authorId)} at ${formatTime(r().createdAt)}`}
            data-message-id={r().id}
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
                  <time datetime={new Date(r().createdAt).toISOString()}>
                    {formatTime(r().createdAt)}
                  </time>
                </header>
              </Show>
              <Show when={r().text !== undefined || !r().attachment}>
                <p class="message-text">
                  {r().text ?? (r().kind === 'image' ? '[image]' : '[file]')}
                </p>
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
              <Show when={status()}>
                {(s) => (
                  <span
                    class="message-status"
                    data-status={s().kind}
                    aria-label={`Status: ${statusText(s())}`}
                  >
                    {statusText(s())}
                  </span>
                )}
              </Show>
            </div>
          </article>
        </>
      )}
    </Show>
  );
}
