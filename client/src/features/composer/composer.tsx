// The composer: Enter sends, Shift+Enter inserts a new line; typing is announced through
// awareness while there is text and stops when sent or idle. Files come in through the
// "Attach files" picker or by pasting; `children` (what the message answers, the attachment
// area) sits above the input. Escape is the caller's (it cancels a reply), and so is ArrowUp
// in an empty input (it edits my last message).
import { Show, createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { MAX_MESSAGE_TEXT } from '@canopy/shared';
import { PaperclipIcon } from '../attachments/file-icon.js';

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
  controls?: (c: { focus(): void }) => void;
  children?: JSX.Element;
}): JSX.Element {
  const [text, setText] = createSignal('');
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

  const attach = (files: File[]): void => {
    if (files.length > 0 && !props.disabled) props.onAttach?.(files);
  };

  return (
    <div class="composer-area">
      {props.children}
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
        <textarea
          ref={area}
          aria-label="Message"
          rows={1}
          maxLength={MAX_MESSAGE_TEXT}
          placeholder={props.placeholder ?? 'Write a message'}
          value={text()}
          disabled={props.disabled}
          onInput={(e) => {
            setText(e.currentTarget.value);
            props.onTyping(e.currentTarget.value.trim().length > 0);
            grow();
          }}
          onPaste={(e) => {
            const files = [...(e.clipboardData?.files ?? [])];
            if (files.length === 0 || !props.onAttach) return;
            e.preventDefault(); // pasting a screenshot attaches it instead of its file name
            attach(files);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
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
    </div>
  );
}
