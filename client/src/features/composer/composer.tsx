// The composer: Enter sends, Shift+Enter inserts a new line (so does Enter inside an open
// ``` block, where Ctrl/⌘+Enter sends); Ctrl/⌘+B, I and Shift+X format the selection
// (format-keys.ts), and "Insert emoji" puts a picked emoji at the caret. Typing is
// announced through awareness while there is text and stops when sent or idle. Files come
// in through the "Attach files" picker or by pasting; `children` (what the message
// answers, the attachment area) sits above the input. Escape is the caller's (it cancels a
// reply), and so is ArrowUp in an empty input (it edits my last message). Typing `@`
// offers the people who can be mentioned, and `:` and two letters the emoji of that name
// (suggestions.tsx; Enter after a name typed out in full sends).
import { Show, createEffect, createSignal, on } from 'solid-js';
import type { JSX } from 'solid-js';
import { MAX_MESSAGE_TEXT } from '@canopy/shared';
import { PaperclipIcon } from '../attachments/file-icon.js';
import { EmojiPickerDialog } from '../../ui/emoji-picker-dialog.js';
import { applyFormatKey, isCodeLineBreak, replaceText } from './format-keys.js';
import type { Mentionable } from './mention-query.js';
import { createSuggestions } from './suggestions.js';

/** Browsers with CSS `field-sizing` grow the textarea themselves (see styles.css). */
const SIZES_ITSELF = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

export function Composer(props: {
  onSend: (text: string) => boolean;
  onTyping: (active: boolean) => void;
  disabled?: boolean;
  placeholder?: string;
  /** Files picked or pasted; without it there is no attach button. */
  onAttach?: (files: File[]) => void;
  /** The user reaches for the attach button (a moment to warm up the image classifier). */
  onAttachIntent?: () => void;
  /** Escape in the input. */
  onEscape?: () => void;
  /** ArrowUp in the empty input: edit my last message; false when there is none. */
  onEditLast?: () => boolean;
  /** Who `@` can mention here; without it, typing `@` offers nothing. */
  mentionables?: () => readonly Mentionable[];
  controls?: (c: { focus(): void }) => void;
  /** A kept draft to start with (it may arrive late; typing first wins). */
  initialText?: string | undefined;
  /** Every change of the text: typing, a picked mention, the clearing after a send. */
  onTextChange?: (text: string) => void;
  children?: JSX.Element;
}): JSX.Element {
  const [text, setTextSignal] = createSignal('');
  let touched = false;
  const setText = (next: string): void => {
    touched = true;
    setTextSignal(next);
    props.onTextChange?.(next);
  };
  createEffect(
    on(
      () => props.initialText,
      (initial) => {
        if (initial && !touched && text() === '') setTextSignal(initial);
      },
    ),
  );
  let area!: HTMLTextAreaElement;
  let picker!: HTMLInputElement;
  // eslint-disable-next-line solid/reactivity -- handed out once, like a ref
  props.controls?.({ focus: () => area.focus() });

  const send = (): void => {
    if (props.disabled) return;
    if (props.onSend(text())) {
      setText('');
      if (!SIZES_ITSELF) area.style.height = '';
    }
    area.focus();
  };
  const grow = (): void => {
    if (SIZES_ITSELF) return;
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight, 200)}px`;
  };

  /** the emoji picker is open, for the selection it will replace */
  const [picking, setPicking] = createSignal<{ from: number; to: number } | null>(null);
  const insertEmoji = (emoji: string): void => {
    const at = picking();
    setPicking(null);
    if (!at) return;
    area.focus();
    replaceText(area, at.from, at.to, emoji);
  };

  const attach = (files: File[]): void => {
    if (files.length > 0 && !props.disabled) props.onAttach?.(files);
  };

  const suggestions = createSuggestions({
    area: () => area,
    mentionables: () => props.mentionables?.(),
    id: 'composer-suggestions',
    onPick: (next, caret) => {
      setText(next);
      area.setSelectionRange(caret, caret);
      area.focus();
      props.onTyping(true);
    },
  });

  return (
    <div class="composer-area">
      {props.children}
      <suggestions.List />
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <Show when={props.onAttach}>
          <button
            type="button"
            class="attach-button"
            aria-label="Attach files"
            title="Attach files"
            disabled={props.disabled}
            onPointerEnter={() => props.onAttachIntent?.()}
            onFocus={() => props.onAttachIntent?.()}
            onClick={() => {
              props.onAttachIntent?.();
              picker.click();
            }}
          >
            <PaperclipIcon />
          </button>
          <input
            ref={picker}
            type="file"
            multiple
            hidden
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              const files = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = ''; // picking the same file again must fire again
              attach(files);
            }}
          />
        </Show>
        <button
          type="button"
          class="attach-button"
          aria-label="Insert emoji"
          title="Insert emoji"
          disabled={props.disabled}
          onClick={() => setPicking({ from: area.selectionStart, to: area.selectionEnd })}
        >
          ☺
        </button>
        <textarea
          ref={area}
          aria-label="Message"
          rows={1}
          maxLength={MAX_MESSAGE_TEXT}
          placeholder={props.placeholder ?? 'Write a message'}
          value={text()}
          disabled={props.disabled}
          aria-autocomplete="list"
          aria-controls={suggestions.listId()}
          aria-activedescendant={suggestions.activeId()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            props.onTyping(e.currentTarget.value.trim().length > 0);
            grow();
            suggestions.find();
          }}
          onKeyUp={(e) => {
            if (
              e.key === 'ArrowLeft' ||
              e.key === 'ArrowRight' ||
              e.key === 'Home' ||
              e.key === 'End'
            )
              suggestions.find();
          }}
          onBlur={() => suggestions.close()}
          onPaste={(e) => {
            const files = [...(e.clipboardData?.files ?? [])];
            if (files.length === 0 || !props.onAttach) return;
            e.preventDefault(); // pasting a screenshot attaches it instead of its file name
            attach(files);
          }}
          onKeyDown={(e) => {
            if (suggestions.key(e) || applyFormatKey(e, area)) return;
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              if (isCodeLineBreak(e, area)) return;
              e.preventDefault();
              send();
            } else if (e.key === 'Escape' && props.onEscape) {
              e.preventDefault();
              props.onEscape();
            } else if (e.key === 'ArrowUp' && text() === '' && props.onEditLast?.()) {
              e.preventDefault();
            }
          }}
        />
        <button
          type="submit"
          class="primary"
          disabled={props.disabled || text().trim().length === 0}
        >
          Send
        </button>
      </form>
      <Show when={picking()}>
        <EmojiPickerDialog
          title="Insert emoji"
          onClose={() => setPicking(null)}
          onPick={insertEmoji}
        />
      </Show>
    </div>
  );
}
