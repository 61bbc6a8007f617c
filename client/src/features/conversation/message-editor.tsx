// Editing my message in place: the text in a box, Enter (or Save) keeps it, Shift+Enter
// makes a new line, Escape (or Cancel) leaves it as it was; formatting keys, Enter in a
// code block and the `@` and `:` suggestions work as in the composer. The editor keeps the message it
// was opened for: rows are reused by position, and if the list is rebuilt (a deletion above)
// so that its row shows another message, the editor closes instead of saving there.
import { createEffect, onMount, untrack } from 'solid-js';
import type { JSX } from 'solid-js';
import { MAX_MESSAGE_TEXT } from '@canopy/shared';
import type { MessageRecord } from '@canopy/shared';
import { applyFormatKey, isCodeLineBreak } from '../composer/format-keys.js';
import type { Mentionable } from '../composer/mention-query.js';
import { createSuggestions } from '../composer/suggestions.js';

export function MessageEditor(props: {
  /** the row's message now */
  record: MessageRecord;
  initial: string;
  onSave: (record: MessageRecord, text: string) => boolean;
  onDone: () => void;
  /** who `@` can mention here */
  mentionables?: () => readonly Mentionable[];
}): JSX.Element {
  const target = untrack(() => props.record);
  const initial = untrack(() => props.initial); // typing is not overwritten by later edits
  createEffect(() => {
    if (props.record.id !== target.id) props.onDone();
  });
  let area!: HTMLTextAreaElement;
  onMount(() => {
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  });
  const suggestions = createSuggestions({
    area: () => area,
    mentionables: () => props.mentionables?.(),
    id: `edit-suggestions-${target.id}`,
    onPick: (text, caret) => {
      area.value = text;
      area.setSelectionRange(caret, caret);
      area.focus();
    },
  });
  const save = (): void => {
    if (props.onSave(target, area.value)) props.onDone();
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
        value={initial}
        aria-autocomplete="list"
        aria-controls={suggestions.listId()}
        aria-activedescendant={suggestions.activeId()}
        onInput={() => suggestions.find()}
        onBlur={() => suggestions.close()}
        onKeyDown={(e) => {
          if (suggestions.key(e) || applyFormatKey(e, area)) return;
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            if (isCodeLineBreak(e, area)) return;
            e.preventDefault();
            save();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            props.onDone();
          }
        }}
      />
      <suggestions.List />
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
