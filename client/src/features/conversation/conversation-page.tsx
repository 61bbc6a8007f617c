// The conversation screen: header (conversation-header.tsx), the virtualized message list,
// typing indicator and composer. Marks messages read while they are on screen and the tab is
// visible. A local stand-in DM that became real redirects to the real one. Files dropped
// anywhere on it are attached (features/attachments). Search runs on the device, and the
// pinned messages open under the header. A link to a message (`?m=<messageId>`) shows that
// message. Replying to a message shows it above the composer until sent or cancelled
// (Escape).
import { A, Navigate, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { Show, createEffect, createMemo, createSignal, on, onCleanup } from 'solid-js';
import type { JSX } from 'solid-js';
import { isId } from '@canopy/shared';
import type { GroupId, MessageId, MessageRecord } from '@canopy/shared';
import { useWorkspace } from '../../state/app-context.js';
import { createConversation } from '../../state/conversation.js';
import { describeCloseReason } from '../../sync/close-reason.js';
import { VirtualList } from '../../ui/virtual-list.js';
import { createAttachments } from '../attachments/attachment-service.js';
import { createFileDrop } from '../attachments/file-drop.js';
import { PendingUploads } from '../attachments/pending-uploads.js';
import { Composer } from '../composer/composer.js';
import { SearchPanel } from '../search/search-panel.js';
import { groupTitle } from '../sidebar/group-title.js';
import { ActiveRowActions, EDIT_MESSAGE_EVENT } from './active-row-actions.js';
import { ConversationHeader } from './conversation-header.js';
import type { HeaderPanel } from './conversation-header.js';
import { MessageRow } from './message-row.js';
import { PinnedPanel, livePins } from './pinned-panel.js';
import type { RowActions } from './message-row.js';
import { quoteText } from './reply-quote.js';
import { TypingIndicator } from './typing-indicator.js';

export function ConversationPage(): JSX.Element {
  const params = useParams<{ groupId: string }>();
  const ws = useWorkspace();
  const id = (): GroupId | null => (isId(params.groupId) ? (params.groupId as GroupId) : null);
  return (
    <Show
      when={!id() || !ws.replaced(id() as GroupId)}
      fallback={<Navigate href={`/g/${ws.replaced(id() as GroupId) ?? ''}`} />}
    >
      <Show
        when={id() && ws.group(id() as GroupId)}
        fallback={
          <section class="conversation empty-state">
            <p>
              {ws.wasRemoved(id() as GroupId)
                ? 'You are no longer a member of this conversation.'
                : 'This conversation is not available.'}
            </p>
            <A href="/">Back to conversations</A>
          </section>
        }
      >
        <Show when={id()} keyed>
          {(groupId) => (
            // A refused change: the copy is replaced; the view lets go of the old one.
            <Show
              when={!ws.restoreNotice(groupId)?.restoring}
              fallback={
                <section class="conversation empty-state">
                  <p role="status">Restoring this conversation from the server…</p>
                </section>
              }
            >
              <ConversationView groupId={groupId} />
            </Show>
          )}
        </Show>
      </Show>
    </Show>
  );
}

function ConversationView(props: { groupId: GroupId }): JSX.Element {
  const ws = useWorkspace();
  // Keyed by groupId above: one conversation per mount, so reading it once is right.
  const groupId = props.groupId; // eslint-disable-line solid/reactivity
  const conv = createConversation(ws, groupId);
  ws.setActiveGroup(groupId);
  onCleanup(() => {
    ws.setActiveGroup(null);
    ws.drafts.leave(groupId);
  });
  // Opening a conversation I marked unread reads it: the mark goes, on every device. (A mark
  // made elsewhere while it is open here stays until I come back to it.)
  let leaving = false;
  void ws.flags.ready.then(() => {
    if (!leaving && ws.activeGroup() === groupId && ws.flags.has('unread', groupId)) {
      ws.flags.set('unread', groupId, false);
    }
  });
  const navigate = useNavigate();
  const markUnread = (): void => {
    leaving = true;
    ws.flags.set('unread', groupId, true);
    navigate('/');
  };
  const group = (): ReturnType<typeof ws.group> => ws.group(props.groupId);
  const title = (): string => {
    const g = group();
    return g ? groupTitle(ws, g) : '';
  };
  const [pinned, setPinned] = createSignal(true);
  let scrollToBottom = (): void => undefined;
  let scrollToIndex = (_index: number): void => undefined;
  const [panel, setPanel] = createSignal<HeaderPanel | null>(null);
  const pins = createMemo(() => livePins(conv));
  const showResult = (index: number): void => {
    scrollToIndex(index);
    const id = conv.message(index)?.id;
    if (id) flashMessage(id);
  };
  let lastVisible = -1;
  const [replyingTo, setReplyingTo] = createSignal<MessageRecord | null>(null);
  let composer: { focus(): void } | undefined;
  // One row at a time shows its actions button: the one under the pointer or holding focus,
  // kept while its menu or dialog is open (the pointer crosses other rows on its way there).
  // A reset reuses row elements for other messages: let go of the row then.
  const [activeRow, setActiveRow] = createSignal<HTMLElement | null>(null);
  let held = false;
  const activate = (e: Event): void => {
    if (held) return;
    const row = (e.target as Element | null)?.closest?.('article[data-message-id]');
    if (row instanceof HTMLElement && row !== activeRow()) setActiveRow(row);
  };
  createEffect(
    on(
      conv.resetKey,
      () => {
        held = false;
        setActiveRow(null);
      },
      { defer: true },
    ),
  );
  // A link to one message (/g/<id>?m=<messageId>, from "Copy link"): shown once this device
  // has the message (it may come with the sync), then the address is the conversation's.
  const [search, setSearch] = useSearchParams<{ m?: string }>();
  createEffect(() => {
    const linked = search.m;
    if (!isId(linked) || !conv.loaded()) return;
    conv.count();
    const index = conv.indexOf(linked as MessageId);
    if (index < 0) return;
    setSearch({ m: undefined }, { replace: true });
    queueMicrotask(() => showResult(index));
  });
  const rowActions: RowActions = {
    reply: (record) => {
      setReplyingTo(record);
      composer?.focus();
    },
    jump: showResult,
  };

  const markIfSeen = (): void => {
    if (lastVisible >= 0 && document.visibilityState === 'visible') conv.markReadUpTo(lastVisible);
  };
  const onVisibility = (): void => markIfSeen();
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('focus', onVisibility);
  onCleanup(() => {
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('focus', onVisibility);
  });

  const reason = (): ReturnType<typeof ws.closeReason> => ws.closeReason(props.groupId);
  const attachments = createAttachments(ws);
  const attach = (files: File[]): void => {
    if (reason() !== null) return;
    void attachments.attach(groupId, files);
    scrollToBottom();
  };
  const drop = createFileDrop(attach, () => attachments.warm());

  return (
    <section
      class="conversation"
      classList={{ 'drop-active': drop.dragging() }}
      aria-label={`Conversation: ${title()}`}
      {...drop.handlers}
    >
      <ConversationHeader
        conv={conv}
        title={title()}
        panel={panel()}
        pinCount={pins().length}
        onPanel={(p) => setPanel((open) => (open === p ? null : p))}
        onMarkUnread={markUnread}
      />
      <Show when={panel() === 'search'}>
        <SearchPanel conv={conv} onChoose={showResult} onClose={() => setPanel(null)} />
      </Show>
      <Show when={panel() === 'pins' && pins().length > 0}>
        <PinnedPanel
          conv={conv}
          pins={pins()}
          onChoose={showResult}
          onClose={() => setPanel(null)}
        />
      </Show>
      <Show when={reason()}>
        {(r) => (
          <p class="banner error" role="alert">
            {describeCloseReason(r())}
          </p>
        )}
      </Show>
      <Show when={ws.restoreNotice(props.groupId)}>
        {(n) => (
          <p class="banner" role="status">
            {describeRestore(n().undone)}{' '}
            <button
              type="button"
              class="ghost"
              onClick={() => ws.dismissRestoreNotice(props.groupId)}
            >
              Dismiss
            </button>
          </p>
        )}
      </Show>
      <Show when={ws.isPending(props.groupId)}>
        <p class="banner" role="status">
          Created on this device. It will be set up on the server when you are back online.
        </p>
      </Show>
      <div class="message-area" onPointerOver={activate} onFocusIn={activate}>
        <Show when={conv.loaded() && conv.count() === 0}>
          <p class="muted empty-messages">No messages yet. Say hello!</p>
        </Show>
        <Show when={activeRow()} keyed>
          {(row) => (
            <ActiveRowActions
              conv={conv}
              row={row}
              onReply={(record) => rowActions.reply(record)}
              onHold={(h) => (held = h)}
              // A file still waiting to upload is not needed once its message is gone.
              onDeleted={(record) => {
                if (record.attachment?.pending) attachments.remove(record.id);
              }}
            />
          )}
        </Show>
        <VirtualList
          label="Chat history"
          count={conv.count}
          resetKey={conv.resetKey}
          renderRow={(i) => <MessageRow conv={conv} index={i} actions={rowActions} />}
          onVisibleEnd={(last, isPinned) => {
            lastVisible = last;
            setPinned(isPinned);
            markIfSeen();
          }}
          controls={(c) => {
            scrollToBottom = () => c.scrollToBottom();
            scrollToIndex = (i) => c.scrollToIndex(i);
          }}
        />
        <Show when={!pinned()}>
          <button type="button" class="jump-newest" onClick={() => scrollToBottom()}>
            Jump to newest
          </button>
        </Show>
        <Show when={conv.unread.start() !== null && !conv.unread.inView()}>
          <button
            type="button"
            class="jump-unread"
            onClick={() => {
              const start = conv.unread.start();
              const index = start ? conv.indexOf(start) : -1;
              if (index >= 0) scrollToIndex(index);
            }}
          >
            {conv.unread.count() === 1 ? '1 new message' : `${conv.unread.count()} new messages`}
          </button>
        </Show>
      </div>
      <TypingIndicator names={conv.typingNames()} />
      <Composer
        disabled={reason() !== null}
        onAttach={attach}
        onAttachIntent={() => attachments.warm()}
        onSend={(text) => {
          const ok = conv.send(text, replyingTo()?.id);
          if (ok) {
            setReplyingTo(null);
            scrollToBottom();
          }
          return ok;
        }}
        onTyping={(active) => conv.typing(active)}
        onEscape={() => setReplyingTo(null)}
        mentionables={conv.mentionables}
        onEditLast={() => {
          // ArrowUp in an empty composer edits my newest text message (if it is recent).
          const end = conv.count() - 1;
          for (let i = end; i >= 0 && i > end - EDIT_LAST_REACH; i--) {
            const record = conv.message(i);
            if (!record || !conv.canEdit(record) || conv.deleted(record)) continue;
            scrollToIndex(i);
            whenRowShown(record.id, (row) =>
              row.dispatchEvent(new CustomEvent(EDIT_MESSAGE_EVENT)),
            );
            return true;
          }
          return false;
        }}
        controls={(c) => (composer = c)}
        initialText={ws.drafts.text(groupId)}
        onTextChange={(text) => ws.drafts.typed(groupId, text)}
      >
        <Show when={replyingTo()}>
          {(r) => (
            <div class="replying-to" role="status">
              <span>
                Replying to <strong>{ws.userName(r().authorId)}</strong>:{' '}
                {quoteText(conv.shown(r()).text, r().kind)}
              </span>
              <button
                type="button"
                class="icon-button"
                aria-label="Cancel reply"
                onClick={() => {
                  setReplyingTo(null);
                  composer?.focus();
                }}
              >
                ✕
              </button>
            </div>
          )}
        </Show>
        <PendingUploads attachments={attachments} groupId={props.groupId} />
      </Composer>
      <Show when={drop.dragging()}>
        <div class="drop-overlay" aria-hidden="true">
          Drop files to send them
        </div>
      </Show>
    </section>
  );
}

/** Calls `fn` with a message's row once the list has rendered it (after a scroll). */
function whenRowShown(id: string, fn: (row: HTMLElement) => void): void {
  let tries = 0;
  const find = (): void => {
    const row = document.querySelector<HTMLElement>(`article[data-message-id="${CSS.escape(id)}"]`);
    if (row) fn(row);
    else if (++tries < 10) requestAnimationFrame(find);
  };
  requestAnimationFrame(find);
}

/** Marks a message row for a moment. */
function flashMessage(id: string): void {
  whenRowShown(id, (row) => {
    row.classList.add('search-hit');
    row.scrollIntoView({ block: 'nearest' });
    setTimeout(() => row.classList.remove('search-hit'), 2000);
  });
}

/** How far back ArrowUp looks for my last message to edit. */
const EDIT_LAST_REACH = 200;

function describeRestore(undone: number | null): string {
  const head =
    'The server refused a change made on this device, so this conversation was restored from its copy.';
  if (undone === null) return `${head} Your unsent messages are being sent again…`;
  if (undone === 0) return `${head} Your unsent messages were sent again.`;
  const changes = undone === 1 ? 'One change' : `${undone} changes`;
  return `${head} ${changes} you may no longer make (such as deleting another member's message) ${undone === 1 ? 'was' : 'were'} undone; your messages were kept.`;
}
