// Formatting from the keyboard, in the composer and the message editor: Ctrl/⌘+B wraps the
// selection in ** (bold), Ctrl/⌘+I in _ (italic), Ctrl/⌘+Shift+X in ~~ (struck); the same
// key on wrapped text unwraps it. Inside an open ``` block, Enter is a new line of code
// (Ctrl/⌘+Enter still sends).

/** Replace `from`…`to` with `insert`, then select `selectFrom`…`selectTo`. */
export interface TextEdit {
  from: number;
  to: number;
  insert: string;
  selectFrom: number;
  selectTo: number;
}

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The marker a formatting shortcut puts around the selection, or null for other keys. */
export function formatMarker(e: KeyLike): string | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (e.shiftKey) return key === 'x' ? '~~' : null;
  if (key === 'b') return '**';
  if (key === 'i') return '_';
  return null;
}

/** Wraps `start`…`end` of `value` in `marker`, or unwraps it when the marker is already around it. */
export function wrapSelection(value: string, start: number, end: number, marker: string): TextEdit {
  const m = marker.length;
  const inner = value.slice(start, end);
  if (value.slice(start - m, start) === marker && value.slice(end, end + m) === marker) {
    return {
      from: start - m,
      to: end + m,
      insert: inner,
      selectFrom: start - m,
      selectTo: end - m,
    };
  }
  return {
    from: start,
    to: end,
    insert: marker + inner + marker,
    selectFrom: start + m,
    selectTo: end + m,
  };
}

/** Whether text up to the caret has opened a ``` code block it has not closed. */
export function inOpenFence(beforeCaret: string): boolean {
  return (beforeCaret.match(/```/g)?.length ?? 0) % 2 === 1;
}

/** Applies a formatting shortcut to the text area; true when `e` was one. */
export function applyFormatKey(e: KeyboardEvent, area: HTMLTextAreaElement): boolean {
  const marker = formatMarker(e);
  if (!marker) return false;
  e.preventDefault();
  const change = wrapSelection(area.value, area.selectionStart, area.selectionEnd, marker);
  replaceText(area, change.from, change.to, change.insert);
  area.setSelectionRange(change.selectFrom, change.selectTo);
  return true;
}

/** Replaces `from`…`to` of the text area's value as typing would; the caret ends after it. */
export function replaceText(
  area: HTMLTextAreaElement,
  from: number,
  to: number,
  text: string,
): void {
  area.setSelectionRange(from, to);
  // insertText keeps the browser's undo history and fires `input` as typing does.
  if (!document.execCommand('insertText', false, text)) {
    area.setRangeText(text, from, to, 'end');
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

/** Whether this Enter is a new line in an open code block rather than a send. */
export function isCodeLineBreak(e: KeyboardEvent, area: HTMLTextAreaElement): boolean {
  return !e.ctrlKey && !e.metaKey && inOpenFence(area.value.slice(0, area.selectionStart));
}
