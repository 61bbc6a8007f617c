// The composer: Enter sends, Shift+Enter inserts a new line; typing is announced through
// awareness while there is text and stops when sent or idle.
import { createSignal } from 'solid-js';
import type { JSX } from 'solid-js';
import { MAX_MESSAGE_TEXT } from '@canopy/shared';

export function Composer(props: {
  onSend: (text: string) => boolean;
  onTyping: (active: boolean) => void;
  disabled?: boolean;
  placeholder?: string;
}): JSX.Element {
  const [text, setText] = createSignal('');
  let area!: HTMLTextAreaElement;

  const send = (): void => {
    if (props.disabled) return;
    if (props.onSend(text())) {
      setText('');
      area.style.height = '';
    }
    area.focus();
  };
  const grow = (): void => {
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight, 200)}px`;
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
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
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" class="primary" disabled={props.disabled || text().trim().length === 0}>
        Send
      </button>
    </form>
  );
}
