// Editing my message in place: the text in a box, Enter (or Save) keeps it, Shift+Enter
// makes a new line, Escape (or Cancel) leaves it as it was.
import { onMount } from 'solid-js';
import type { JSX } from 'solid-js';
import { MAX_MESSAGE_TEXT } from '@canopy/shared';

export function MessageEditor(props: {
  initial: string;
  onSave: (text: string) => boolean;
  onDone: () => void;
}): JSX.Element {
  let area!: HTMLTextAreaElement;
  onMount(() => {
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  });
  const save = (): void => {
    if (props.onSave(area.value)) props.onDone();
  };
  return (
    <form
      class="message-editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <textarea
        ref={area}
        aria-label="Edit message"
        maxLength={MAX_MESSAGE_TEXT}
        value={props.initial}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            save();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            props.onDone();
          }
        }}
      />
      <div class="row">
        <button type="button" class="ghost" onClick={() => props.onDone()}>
          Cancel
        </button>
        <button type="submit" class="primary">
          Save
        </button>
      </div>
    </form>
  );
}
