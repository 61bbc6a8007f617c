// The keyboard shortcuts, listed in a dialog: "?" anywhere outside a text field opens it,
// and so does the "Keyboard shortcuts" button at the foot of the sidebar.
import { For, Show, createSignal, onCleanup } from 'solid-js';
import type { JSX } from 'solid-js';
import { Modal } from '../../ui/modal.js';

const SHORTCUTS: Array<[keys: string, what: string]> = [
  ['Ctrl+K (⌘K)', 'Find a conversation by name'],
  ['Shift+Escape', 'Mark all conversations as read'],
  ['Enter', 'Send the message'],
  ['Shift+Enter', 'New line (Enter too, inside a ``` code block)'],
  ['Ctrl+Enter (⌘Enter)', 'Send, also inside a code block'],
  ['Ctrl+B / Ctrl+I (⌘B / ⌘I)', 'Bold / italic for the selected text'],
  ['Ctrl+Shift+X (⌘⇧X)', 'Strike through the selected text'],
  ['↑ in an empty message', 'Edit my last message'],
  ['@', 'Mention someone (arrows and Enter or Tab pick)'],
  [':', 'Emoji by name, after two letters (":thu" offers 👍)'],
  ['Escape', 'Cancel a reply or an edit, close a menu or dialog'],
  ['?', 'This list'],
];

/** Whether a key press went to something that takes text. */
function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    el !== null &&
    (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName ?? ''))
  );
}

export function ShortcutsButton(): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typingInto(e.target)) {
      e.preventDefault();
      setOpen(true);
    }
  };
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  return (
    <>
      <button type="button" class="notify-button ghost" onClick={() => setOpen(true)}>
        Keyboard shortcuts
      </button>
      <Show when={open()}>
        <Modal title="Keyboard shortcuts" onClose={() => setOpen(false)}>
          <dl class="shortcut-list">
            <For each={SHORTCUTS}>
              {([keys, what]) => (
                <>
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </>
              )}
            </For>
          </dl>
        </Modal>
      </Show>
    </>
  );
}
