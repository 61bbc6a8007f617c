// A message's actions: the "Message actions" button of the active row
// (active-row-actions.tsx), opening a menu with the quick reactions (and any other emoji
// from a picker), Reply, Copy link (to the message, for members of the conversation), Pin
// or Unpin for group owners and admins, and for messages I may change, Edit and Delete. The menu is a portal at fixed coordinates next to the button,
// so no row or list clips it. Arrow keys move between items, Escape closes it and returns
// focus to the button. Delete asks first: it cannot be undone.
import { For, Show, createEffect, createSignal, onCleanup, onMount } from 'solid-js';
import type { JSX } from 'solid-js';
import { Portal } from 'solid-js/web';
import { QUICK_REACTIONS } from '@canopy/shared';
import type { GroupId, MessageId, MessageRecord } from '@canopy/shared';
import { useApp } from '../../state/app-context.js';
import type { App } from '../../state/app-context.js';
import type { Conversation } from '../../state/conversation.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { EmojiPickerDialog } from '../../ui/emoji-picker-dialog.js';

const MENU_WIDTH = 240;
/** the tallest menu (reactions, Reply, Pin, Edit, Delete), to place it above when needed */
const MENU_HEIGHT = 260;

export function MessageActions(props: {
  conv: Conversation;
  record: MessageRecord;
  index: number;
  /** what the menu's name says the message is, e.g. "Ana at 10:04" */
  label: string;
  onReply: () => void;
  onEdit: () => void;
  /** the menu or the confirmation is open (the row must stay as it is meanwhile) */
  onHold: (held: boolean) => void;
  /** the message was deleted (its queued upload, if any, is not needed any more) */
  onDeleted: (record: MessageRecord) => void;
}): JSX.Element {
  const [open, setOpen] = createSignal<{ top: number; left: number } | null>(null);
  const [confirming, setConfirming] = createSignal(false);
  const [picking, setPicking] = createSignal(false);
  createEffect(() => props.onHold(open() !== null || confirming() || picking()));
  onCleanup(() => props.onHold(false));
  let trigger!: HTMLButtonElement;

  const show = (): void => {
    const box = trigger.getBoundingClientRect();
    const left = Math.max(8, Math.min(box.right - MENU_WIDTH, window.innerWidth - MENU_WIDTH - 8));
    // Below the button when there is room, else above it (the newest rows sit at the bottom).
    const below = box.bottom + 4;
    setOpen({
      top:
        below + MENU_HEIGHT < window.innerHeight ? below : Math.max(8, box.top - MENU_HEIGHT - 4),
      left,
    });
  };
  const close = (refocus: boolean): void => {
    setOpen(null);
    if (refocus) trigger.focus();
  };
  const run = (action: () => void): void => {
    close(false);
    action();
  };
  const app = useApp();
  const copyLink = async (): Promise<void> => {
    const url = messageLink(props.conv.groupId, props.record.id);
    try {
      await navigator.clipboard.writeText(url);
      flashNotice(app, 'Link to the message copied.');
    } catch {
      app.session.setNotice(`Copy this link to the message: ${url}`);
    }
  };

  return (
    <>
      <button
        ref={trigger}
        type="button"
        class="message-actions-button icon-button"
        aria-label={`Message actions: ${props.label}`}
        aria-haspopup="menu"
        aria-expanded={open() !== null}
        onClick={() => (open() ? close(false) : show())}
      >
        ⋯
      </button>
      <Show when={open()}>
        {(at) => (
          <ActionMenu at={at()} label={props.label} onClose={close} trigger={trigger}>
            <div class="reaction-picker" role="group" aria-label="React">
              <For each={QUICK_REACTIONS}>
                {(emoji) => (
                  <button
                    type="button"
                    role="menuitem"
                    class="icon-button"
                    aria-label={`React with ${emoji}`}
                    onClick={() => run(() => props.conv.react(props.record.id, emoji))}
                  >
                    {emoji}
                  </button>
                )}
              </For>
              <button
                type="button"
                role="menuitem"
                class="icon-button"
                aria-label="More reactions"
                title="More reactions"
                onClick={() => run(() => setPicking(true))}
              >
                ＋
              </button>
            </div>
            <button type="button" role="menuitem" onClick={() => run(props.onReply)}>
              Reply
            </button>
            <button type="button" role="menuitem" onClick={() => run(() => void copyLink())}>
              Copy link
            </button>
            <Show when={props.conv.canEdit(props.record)}>
              <button type="button" role="menuitem" onClick={() => run(props.onEdit)}>
                Edit
              </button>
            </Show>
            <Show when={props.conv.canPin()}>
              <button
                type="button"
                role="menuitem"
                onClick={() => run(() => props.conv.togglePin(props.record.id))}
              >
                {props.conv.shown(props.record).pinned ? 'Unpin' : 'Pin'}
              </button>
            </Show>
            <Show when={props.conv.canDelete(props.record)}>
              <button
                type="button"
                role="menuitem"
                class="danger-text"
                onClick={() => run(() => setConfirming(true))}
              >
                Delete
              </button>
            </Show>
          </ActionMenu>
        )}
      </Show>
      <Show when={picking()}>
        <EmojiPickerDialog
          title="React with"
          onClose={() => setPicking(false)}
          onPick={(emoji) => {
            setPicking(false);
            props.conv.react(props.record.id, emoji);
          }}
        />
      </Show>
      <Show when={confirming()}>
        <ConfirmDialog
          title="Delete this message?"
          action="Delete message"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            // Read before: the deletion unmounts this menu's row (and its props).
            const record = props.record;
            if (props.conv.remove(record, props.index)) props.onDeleted(record);
          }}
        >
          <p>It is removed for everyone in this conversation. This cannot be undone.</p>
        </ConfirmDialog>
      </Show>
    </>
  );
}

function ActionMenu(props: {
  at: { top: number; left: number };
  label: string;
  trigger: HTMLElement;
  onClose: (refocus: boolean) => void;
  children: JSX.Element;
}): JSX.Element {
  let menu!: HTMLDivElement;
  const items = (): HTMLElement[] => [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      props.onClose(true);
      return;
    }
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    all[(at + step + all.length) % all.length]?.focus();
  };
  const onPointer = (e: PointerEvent): void => {
    const target = e.target as Node;
    if (!menu.contains(target) && !props.trigger.contains(target)) props.onClose(false);
  };
  const onScroll = (): void => props.onClose(false);
  onMount(() => {
    items()[0]?.focus();
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('resize', onScroll);
    document.addEventListener('scroll', onScroll, true);
  });
  onCleanup(() => {
    document.removeEventListener('pointerdown', onPointer, true);
    window.removeEventListener('resize', onScroll);
    document.removeEventListener('scroll', onScroll, true);
  });
  return (
    <Portal>
      <div
        ref={menu}
        class="action-menu"
        role="menu"
        aria-label={`Actions: ${props.label}`}
        style={{ top: `${props.at.top}px`, left: `${props.at.left}px`, width: `${MENU_WIDTH}px` }}
        onKeyDown={onKey}
      >
        {props.children}
      </div>
    </Portal>
  );
}

/** The address that opens the conversation at this message (conversation-page.tsx). */
export function messageLink(groupId: GroupId, messageId: MessageId): string {
  return `${location.origin}/g/${groupId}?m=${messageId}`;
}

/** A short-lived shell notice: gone after a few seconds unless another replaced it. */
function flashNotice(app: App, text: string): void {
  app.session.setNotice(text);
  setTimeout(() => {
    if (app.session.notice() === text) app.session.setNotice(null);
  }, 4000);
}
